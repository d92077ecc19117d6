package wgan.backend;

/** What --backend asked for; auto means whatever the jar carries. Lower case: these are the flag's values. */
public enum BackendRequest {
    auto, cpu, cuda
}
