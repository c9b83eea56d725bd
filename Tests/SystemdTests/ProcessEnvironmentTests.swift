import Testing

/// Every suite that changes the process environment, or starts programs that inherit it, nests here: the
/// environment is process-wide, so these run one at a time while the pure suites run in parallel.
@Suite(.serialized) struct ProcessEnvironmentTests {}
