package wgan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;
import wgan.config.ClassNamesFile;
import wgan.data.ImageClasses;
import wgan.io.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The class of every image (its parent folder) reaches the console, options.json and the report. */
class ClassesTest {

    @Test
    void stateFarmTreeRecordsItsBehaviours(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("train");
        TestImages.writeTree(data, 23, 10, 30, 30, 1); // c0..c2 get 3 images, c3..c9 get 2
        Path run = tmp.resolve("run");
        CliRunner.Run r = train(tmp, data, run);
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("data: 10 classes (c0 3, c1 3, c2 3, c3 2, c4 2, c5 2, c6 2, c7 2, c8 2, c9 2)"),
                r.out());

        JsonNode classes = Json.parse(Files.readString(run.resolve("options.json"))).get("classes");
        assertEquals(10, classes.size());
        assertEquals("c0", classes.get(0).get("folder").asText());
        assertEquals("safe driving", classes.get(0).get("name").asText());
        assertEquals(3, classes.get(0).get("images").asInt());
        assertEquals("talking to passenger", classes.get(9).get("name").asText());
        assertEquals(2, classes.get(9).get("images").asInt());
        String report = Files.readString(run.resolve("report.html"));
        assertTrue(report.contains("<td>c1</td><td>texting - right</td><td>3</td>"), "report shows the counts");
    }

    @Test
    void onlyStateFarmsTrainFolderGetsItsNames() {
        List<String> tenFolders = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");
        assertEquals("safe driving", ImageClasses.names(Path.of("statefarm/imgs/train"), tenFolders, Map.of()).get(0));
        // the Fashion-MNIST sample and make_photo_tree.py's trees use c0..c9 too
        assertNull(ImageClasses.names(Path.of("data/sample"), tenFolders, Map.of()).get(0));
        assertEquals("T-shirt/top", ImageClasses.names(Path.of("data/sample"), tenFolders,
                ClassNamesFile.read(Path.of("config/fashion-mnist-classes.tsv"))).get(0));
    }

    @Test
    void classNamesFileNamesOtherFolders(@TempDir Path tmp) throws Exception {
        Path names = tmp.resolve("names.tsv");
        Path flat = tmp.resolve("flat");
        TestImages.writeTree(flat, 4, 2, 30, 30, 4); // c0, c1
        Files.move(flat.resolve("c0"), flat.resolve("cats"));
        Files.move(flat.resolve("c1"), flat.resolve("dogs"));
        TestImages.writeTree(tmp.resolve("loose"), 1, 1, 30, 30, 5);
        Files.move(tmp.resolve("loose/c0/img_0.jpg"), flat.resolve("loose.jpg"));
        Files.writeString(names, "# folder<TAB>name\ncats\tsmall felines\ndogs\tloyal canines\nbirds\tnot in this data\n");

        Path run = tmp.resolve("run");
        CliRunner.Run r = train(tmp, flat, run, "--class-names", names.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        // files directly in --data form one class, named after that folder
        assertTrue(r.out().contains("data: 3 classes (cats 2, dogs 2, flat 1)"), r.out());
        JsonNode options = Json.parse(Files.readString(run.resolve("options.json")));
        JsonNode classes = options.get("classes");
        assertEquals("small felines", classes.get(0).get("name").asText());
        assertEquals("loyal canines", classes.get(1).get("name").asText());
        assertFalse(classes.get(2).has("name"), "no name given for the loose files' class");
        assertEquals("small felines", options.get("class_names").get("cats").asText());
    }

    @Test
    void badClassNamesFileIsOneLineAndExit2(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("imgs");
        TestImages.writeTree(data, 4, 2, 30, 30, 1);
        String[][] cases = {
                {"c0 safe driving\n", "line 1 has no tab"},
                {"c0\tsafe\nc0\tagain\n", "line 2 names folder c0 a second time"},
                {"\tnameless folder\n", "line 1 has an empty folder"},
                {"# only a comment\n", "names no class"},
        };
        for (String[] c : cases) {
            Path file = Files.writeString(tmp.resolve("names.tsv"), c[0]);
            CliRunner.Run r = train(tmp, data, tmp.resolve("run"), "--class-names", file.toString());
            assertEquals(2, r.exitCode(), c[0] + r.out() + r.err());
            assertTrue(r.err().contains("--class-names " + file + " " + c[1]), r.err());
            assertEquals(1, r.err().strip().lines().filter(l -> l.contains("class-names")).count(), r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        }
        CliRunner.Run missing = train(tmp, data, tmp.resolve("run"), "--class-names", tmp.resolve("nope.tsv").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        assertFalse(Files.exists(tmp.resolve("run")), "refused before anything is written");
    }

    private static CliRunner.Run train(Path tmp, Path data, Path run, String... more) {
        String[] base = {"train", "--data", data.toString(), "--image-size", "16", "--epochs", "1", "--batch-size", "4",
                "--ngf", "4", "--ndf", "4", "--nz", "8", "--seed", "1", "--eval-every", "0", "--out", run.toString(),
                "--cache-dir", tmp.resolve("cache").toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRunner.run(args);
    }
}
