#!/bin/sh
# only-known-leaks.sh LOG: succeeds when the LeakSanitizer report in LOG (a sanitized
# vigie-node's standard error) holds nothing but GLib's first quark block: GLib keeps
# it on purpose when its quark table grows (it does once GStreamer's quarks are in),
# and the block, allocated by GLib's constructor, shows as malloc ← g_malloc only.
# Any other leak, or that one with more frames (so from our code), fails.
set -eu
log=$1
grep -q 'ERROR: LeakSanitizer' "$log" || exit 1
awk '
  /ERROR: LeakSanitizer/ { report = 1; leaks = 0; bad = 0; next }   # the last stop counts
  !report { next }
  /^(Direct|Indirect) leak of / {
    leaks++
    if ($0 !~ /^Direct leak of 16384 byte\(s\) in 1 object\(s\)/) bad = 1
    frames = 0; next
  }
  /^ *#[0-9]+ / { frames++; if (frames > 2 || ($0 !~ /malloc/)) bad = 1; next }
  /^SUMMARY: / { report = 0 }
  END { exit (leaks == 1 && !bad) ? 0 : 1 }
' "$log"
