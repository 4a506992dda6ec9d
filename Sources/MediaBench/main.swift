print("MediaBench: work in progress")
