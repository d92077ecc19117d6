package wgan.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import wgan.report.ReportPage;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes RUN_DIR/report.html: one self-contained page (opens offline) with the Wasserstein",
                "estimate, loss_g, SWD, images/s, every epoch's samples and the options of a run."})
final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "A run folder written by wgan train (runs/<run>).")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        System.out.println("wrote " + ReportPage.write(runDir));
        return ExitCode.OK.code;
    }
}
