package wgan.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * --class-names FILE: one {@code folder<TAB>name} a line, giving the class folders of a data set
 * readable names (State Farm's c0..c9 have theirs built in). Blank lines and lines starting with
 * # are ignored; folders the data lacks are ignored too (one file may serve several subsets).
 */
public final class ClassNamesFile {
    private ClassNamesFile() {
    }

    /** folder -> name, in the file's order. */
    public static Map<String, String> read(Path file) {
        String where = "--class-names " + file;
        List<String> lines;
        try {
            if (Files.isDirectory(file)) {
                throw new InputException(where + " is a folder; give a text file with one folder<TAB>name line per class");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException(where + " does not exist; give a text file with one folder<TAB>name line per class");
        } catch (AccessDeniedException e) {
            throw new InputException(where + " cannot be read (permission denied)");
        } catch (CharacterCodingException e) {
            throw new InputException(where + " is not UTF-8 text; give one folder<TAB>name line per class");
        } catch (IOException e) {
            throw new InputException(where + " cannot be read (" + e.getMessage() + ")");
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip().isEmpty() ? "" : lines.get(i);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String at = where + " line " + (i + 1);
            int tab = line.indexOf('\t');
            if (tab < 0) {
                throw new InputException(at + " has no tab; each line is folder<TAB>name, e.g. c0<TAB>safe driving");
            }
            String folder = line.substring(0, tab).strip();
            String name = line.substring(tab + 1).strip();
            if (folder.isEmpty() || name.isEmpty()) {
                throw new InputException(at + " has an empty " + (folder.isEmpty() ? "folder" : "name")
                        + "; each line is folder<TAB>name");
            }
            if (name.indexOf('\t') >= 0) {
                throw new InputException(at + " has more than one tab; each line is folder<TAB>name");
            }
            if (names.putIfAbsent(folder, name) != null) {
                throw new InputException(at + " names folder " + folder + " a second time");
            }
        }
        if (names.isEmpty()) {
            throw new InputException(where + " names no class; give one folder<TAB>name line per class");
        }
        return Collections.unmodifiableMap(names);
    }
}
