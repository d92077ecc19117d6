package wgan.io;

import wgan.files.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Everything a training run needs to go on: named arrays (all parameters, optimiser states) and a
 * JSON document (options, counters, random generator states), in one zip written atomically.
 */
public final class StateCheckpoint {
    private static final String META_ENTRY = "state.json";
    private static final String ARRAY_DIR = "arrays/";

    /** What was read back. */
    public record Loaded(JsonNode meta, Map<String, INDArray> arrays) {
    }

    private StateCheckpoint() {
    }

    public static void save(Path file, Map<String, Object> meta, Map<String, INDArray> arrays) throws IOException {
        AtomicFiles.write(file, writer(meta, arrays));
    }

    /** Writes the zip to a given path (not atomically: compose with {@link AtomicFiles}). */
    public static AtomicFiles.Writer writer(Map<String, Object> meta, Map<String, INDArray> arrays) {
        return temp -> {
            try (OutputStream out = Files.newOutputStream(temp);
                 ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(out, 1 << 20))) {
                zip.setLevel(Deflater.NO_COMPRESSION); // float weights do not compress; deflate cost seconds
                zip.putNextEntry(new ZipEntry(META_ENTRY));
                zip.write(Json.pretty(meta).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                    zip.putNextEntry(new ZipEntry(ARRAY_DIR + e.getKey() + ".bin"));
                    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(zip, 1 << 20));
                    Nd4j.write(e.getValue(), data);
                    data.flush();
                    zip.closeEntry();
                }
            }
        };
    }

    public static Loaded load(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            JsonNode meta;
            try (InputStream in = zip.getInputStream(zip.getEntry(META_ENTRY))) {
                meta = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(ARRAY_DIR)) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        arrays.put(name.substring(ARRAY_DIR.length(), name.length() - ".bin".length()),
                                Nd4j.read(new DataInputStream(in)));
                    }
                }
            }
            return new Loaded(meta, arrays);
        }
    }
}
