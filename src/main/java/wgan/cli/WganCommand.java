package wgan.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import wgan.config.Versions;

import java.util.concurrent.Callable;

@Command(name = "wgan", mixinStandardHelpOptions = true, versionProvider = WganCommand.Version.class,
        description = "Trains a Wasserstein GAN (weight clipping, as in Arjovsky et al. 2017) on a folder of "
                + "photographs with DeepLearning4J, and makes new images from the trained generator.",
        subcommands = {TrainCommand.class, PrepareCommand.class, SampleCommand.class, EvalCommand.class,
                ReportCommand.class, BenchCommand.class})
final class WganCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE.code;
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"wgan " + Versions.wgan() + " (DeepLearning4J " + Versions.dl4j() + ", Java "
                    + System.getProperty("java.version") + ")"};
        }
    }
}
