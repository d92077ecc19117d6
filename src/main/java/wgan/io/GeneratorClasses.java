package wgan.io;

import wgan.config.InputException;
import wgan.model.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The classes a conditional generator was trained on, in the order of its one-hot code, as its
 * checkpoint records them (wgan.json "classes": folder, readable name if any, training images).
 * An unconditional generator has none.
 */
public record GeneratorClasses(List<String> folders, List<String> names, int[] counts) {

    public static GeneratorClasses of(GeneratorCheckpoint.Loaded loaded) {
        List<String> folders = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        if (loaded.meta().get("classes") instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> c = (Map<?, ?>) o;
                folders.add(String.valueOf(c.get("folder")));
                names.add(c.get("name") == null ? null : String.valueOf(c.get("name")));
                counts.add(c.get("images") instanceof Number n ? n.intValue() : 1);
            }
        }
        if (folders.size() != loaded.model().classes()) {
            throw new InputException("checkpoint is damaged: its generator takes " + loaded.model().classes()
                    + " classes and it names " + folders.size());
        }
        return new GeneratorClasses(List.copyOf(folders), java.util.Collections.unmodifiableList(names),
                counts.stream().mapToInt(Integer::intValue).toArray());
    }

    public int size() {
        return folders.size();
    }

    /** "c3 (texting - left)", or the folder alone when it has no readable name. */
    public String label(int k) {
        return names.get(k) == null ? folders.get(k) : folders.get(k) + " (" + names.get(k) + ")";
    }

    /**
     * A class by its folder name, its index or its readable name (case ignored); unknown: one line
     * listing the classes (exit 2).
     */
    public int resolve(String given) {
        String g = given.trim();
        for (int k = 0; k < size(); k++) {
            if (folders.get(k).equals(g)) {
                return k;
            }
        }
        for (int k = 0; k < size(); k++) {
            if (folders.get(k).equalsIgnoreCase(g) || names.get(k) != null && names.get(k).equalsIgnoreCase(g)) {
                return k;
            }
        }
        if (g.matches("\\d{1,9}") && Integer.parseInt(g) < size()) {
            return Integer.parseInt(g);
        }
        List<String> all = new ArrayList<>();
        for (int k = 0; k < size(); k++) {
            all.add(k + " " + label(k));
        }
        throw new InputException("unknown class '" + given + "'; the checkpoint's classes are: " + String.join(", ", all)
                + " (give a folder name, an index or a name; all for one row per class)");
    }

    /** n classes drawn with the training images' class frequencies. */
    public int[] draw(Rng rng, int n) {
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            long r = (long) (rng.nextDouble() * total);
            int k = 0;
            while (k < counts.length - 1 && r >= counts[k]) {
                r -= counts[k];
                k++;
            }
            out[i] = k;
        }
        return out;
    }
}
