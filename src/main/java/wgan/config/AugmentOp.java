package wgan.config;

import java.util.ArrayList;
import java.util.List;

/**
 * DiffAugment's policies (Zhao et al. 2020, mit-han-lab/data-efficient-gans): color (brightness,
 * saturation, contrast), translation (up to 1/8 of the side, zero fill), cutout (a square of half
 * the side set to zero).
 */
public enum AugmentOp {
    color, translation, cutout;

    /** "color,translation,cutout" (any subset, in the order given; "" or "none" for none). */
    public static List<AugmentOp> parse(String policy) {
        List<AugmentOp> ops = new ArrayList<>();
        if (policy == null || policy.isBlank() || policy.equals("none")) {
            return List.of();
        }
        for (String word : policy.split(",")) {
            try {
                AugmentOp op = valueOf(word.strip());
                if (ops.contains(op)) {
                    throw new InputException("--augment names " + op + " twice");
                }
                ops.add(op);
            } catch (IllegalArgumentException e) {
                throw new InputException("--augment: unknown '" + word.strip() + "'; use any of color, translation,"
                        + " cutout, comma-separated, or none");
            }
        }
        return List.copyOf(ops);
    }

    /** The policy as DiffAugment writes it: "color,translation"; "none" for none. */
    public static String policy(List<AugmentOp> ops) {
        return ops.isEmpty() ? "none" : String.join(",", ops.stream().map(Enum::name).toList());
    }
}
