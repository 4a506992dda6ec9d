"""Where the heap blocks per packet come from: two DHAT profiles of the same MediaBench run with a
short and a long window (`valgrind --tool=dhat`), their packet counts since the calls started, and
for each allocation site (the first frames that are not the allocator) the difference in blocks
divided by the difference in packets. Set-up and tear-down allocate alike in both runs and cancel.

Usage: python3 dhat_diff.py SHORT.dhat SHORT_PACKETS LONG.dhat LONG_PACKETS [TOP]"""
import json
import re
import subprocess
import sys
from collections import Counter

ALLOCATOR = re.compile(r"\b(malloc|calloc|realloc|posix_memalign|aligned_alloc|swift_slowAlloc|swift_allocObject|"
                       r"swift_allocBox|_swift_allocObject_|operator new|swift_task_alloc)\b")
DEPTH = 4


def sites(path):
    """Blocks allocated per site: the first DEPTH frames above the allocator, demangled where possible."""
    with open(path) as file:
        profile = json.load(file)
    frames = profile["ftbl"]
    blocks = Counter()
    for point in profile["pps"]:
        stack = [frames[index] for index in point["fs"]]
        while stack and ALLOCATOR.search(stack[0]):
            stack.pop(0)
        blocks[" ← ".join(stack[:DEPTH])] += point["tbk"]  # tbk: blocks (tb is bytes)
    return blocks


def demangle(text):
    try:
        return subprocess.run(["swift-demangle", "--simplified", "--compact"], input=text, capture_output=True,
                              text=True, timeout=60).stdout or text
    except (OSError, subprocess.SubprocessError):
        return text


def main():
    short, short_packets, long, long_packets = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    top = int(sys.argv[5]) if len(sys.argv) > 5 else 12
    packets = long_packets - short_packets
    difference = sites(long)
    difference.subtract(sites(short))
    total = sum(difference.values())
    lines = [f"{total} blocks over {packets} packets = {total / packets:.3f} blocks per packet; by site:"]
    for site, blocks in difference.most_common(top):
        if blocks <= 0:
            break
        lines.append(f"  {blocks / packets:8.3f}  {re.sub(r'0x[0-9A-F]+: ', '', site)}")
    print(demangle("\n".join(lines)))


if __name__ == "__main__":
    main()
