#!/usr/bin/env bash
# make fuzz-merge: rebuilds each committed corpus Fuzz/corpus/<target>/ as the
# minimal set (libFuzzer -merge=1) covering the old corpus, the seeds written by
# Fuzz/seeds.py from the repository's fixtures, and whatever `make fuzz` found
# in .build-fuzz/work/<target>/. Run `make fuzz` once first (it builds).
# Minimised on edge coverage (-use_counters=0), so the committed corpus stays
# small; a run re-finds the hit-count variants within seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
SCRATCH=.build-fuzz
bin=$(WAGATE_FUZZ=1 $SWIFT build -c release --scratch-path "$SCRATCH" --show-bin-path 2>/dev/null)
seeds=$SCRATCH/seeds
rm -rf "$seeds" && python3 Fuzz/seeds.py "$seeds"
for t in ${FUZZ_TARGETS:-sip sdp stun rtp dtls dtmf webhook graph config agent refer browsersdp}; do
  p=Fuzz$(case $t in sip) echo SIP;; sdp) echo SDP;; stun) echo STUN;; rtp) echo RTP;; dtls) echo DTLS;;
    dtmf) echo DTMF;; webhook) echo Webhook;; graph) echo Graph;; config) echo Config;;
    agent) echo Agent;; refer) echo Refer;; browsersdp) echo BrowserSDP;; esac)
  # Keep the committed corpus small: found inputs above 8 KB (4 KB for config,
  # which run.sh fuzzes up to 4 KB) are dropped; only seeds may be larger.
  limit=8k; [ "$t" = config ] && limit=4k
  find "Fuzz/corpus/$t" "$SCRATCH/work/$t" -type f -size +$limit -delete 2>/dev/null || true
  merged=$SCRATCH/merged/$t
  rm -rf "$merged" && mkdir -p "$merged" "Fuzz/corpus/$t" "$SCRATCH/work/$t" "$seeds/$t"
  "$bin/$p" -merge=1 -use_counters=0 -max_len=65536 "$merged" "Fuzz/corpus/$t" "$seeds/$t" "$SCRATCH/work/$t" >"$SCRATCH/merged/$t.log" 2>&1 \
    || { echo "fuzz-merge: $t failed, see $SCRATCH/merged/$t.log"; exit 1; }
  rm -rf "Fuzz/corpus/$t" && mv "$merged" "Fuzz/corpus/$t"
  echo "fuzz-merge: $t: $(ls "Fuzz/corpus/$t" | wc -l) inputs, $(du -sk "Fuzz/corpus/$t" | cut -f1) KB"
done
