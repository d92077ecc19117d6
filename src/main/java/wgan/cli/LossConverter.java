package wgan.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import wgan.config.InputException;
import wgan.config.LossKind;

import java.util.Arrays;
import java.util.Iterator;

/** --loss wgan-clip|wgan-gp: the names carry a hyphen, which an enum constant cannot. */
final class LossConverter implements ITypeConverter<LossKind> {
    @Override
    public LossKind convert(String value) {
        try {
            return LossKind.fromFlag(value);
        } catch (InputException e) { // as a conversion error, picocli names the option and shows the usage
            throw new TypeConversionException("'" + value + "': the losses are wgan-clip and wgan-gp");
        }
    }

    /** The names for ${COMPLETION-CANDIDATES} and shell completion. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(LossKind.values()).map(LossKind::flag).iterator();
        }
    }
}
