package wgan.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Class names for people: counts for the console, readable names for options.json and the report. */
public final class ImageClasses {
    /** State Farm Distracted Driver's ten behaviours, by folder (its imgs/train/c0..c9). */
    public static final Map<String, String> STATE_FARM = stateFarm();
    /** The console line names this many classes, then says how many more there are. */
    static final int SHOWN = 20;

    private ImageClasses() {
    }

    private static Map<String, String> stateFarm() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("c0", "safe driving");
        m.put("c1", "texting - right");
        m.put("c2", "talking on the phone - right");
        m.put("c3", "texting - left");
        m.put("c4", "talking on the phone - left");
        m.put("c5", "operating the radio");
        m.put("c6", "drinking");
        m.put("c7", "reaching behind");
        m.put("c8", "hair and makeup");
        m.put("c9", "talking to passenger");
        return Map.copyOf(m);
    }

    /**
     * The readable name of each class (null where there is none): from --class-names, else State
     * Farm's when the data folder is named train (State Farm's imgs/train) and every class folder
     * is one of its c0..c9. Folder names alone would not do: the Fashion-MNIST sample and
     * scripts/make_photo_tree.py use c0..c9 too.
     */
    public static List<String> names(Path root, List<String> classes, Map<String, String> given) {
        Path dataFolder = root == null ? null : root.toAbsolutePath().normalize().getFileName();
        boolean stateFarm = dataFolder != null && dataFolder.toString().equalsIgnoreCase("train") && !classes.isEmpty()
                && STATE_FARM.keySet().containsAll(classes);
        List<String> names = new ArrayList<>(classes.size());
        for (String folder : classes) {
            String name = given.get(folder);
            names.add(name != null ? name : stateFarm ? STATE_FARM.get(folder) : null);
        }
        return names;
    }

    /** "10 classes (c0 2489, c1 2267, ...)", at most {@link #SHOWN} of them named. */
    public static String summary(List<String> classes, int[] counts) {
        StringBuilder s = new StringBuilder().append(classes.size()).append(classes.size() == 1 ? " class (" : " classes (");
        for (int i = 0; i < Math.min(SHOWN, classes.size()); i++) {
            s.append(i == 0 ? "" : ", ").append(classes.get(i)).append(' ').append(counts[i]);
        }
        if (classes.size() > SHOWN) {
            s.append(", ... and ").append(classes.size() - SHOWN).append(" more");
        }
        return s.append(')').toString();
    }

    /** options.json's "classes": folder, readable name (if any) and image count of each class. */
    public static List<Map<String, Object>> describe(ImageSet images, Map<String, String> given) {
        List<String> names = names(images.root(), images.classes(), given);
        int[] counts = images.classCounts();
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("folder", images.classes().get(i));
            if (names.get(i) != null) {
                c.put("name", names.get(i));
            }
            c.put("images", counts[i]);
            out.add(c);
        }
        return out;
    }
}
