# The Swift sources the fuzzer is built from, for build.sh (which compiles them) and run.sh (which rebuilds
# when one is newer than the fuzzer). The ledger's fingerprint is pure Swift too: fuzzed beside the analysis,
# on the article text it is made from, with the common-word list its signature leaves out.
fuzzed_sources=(Sources/Analysis Sources/Ledger/Fingerprint.swift Sources/Ledger/CommonWords.swift Sources/Ledger/BucketSort.swift)
