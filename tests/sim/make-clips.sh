#!/bin/sh
# Makes the clips vigie-camsim serves, from ffmpeg's lavfi test sources:
#
#   main.h264     1920x1080 25 fps H.264 Main, ~4 Mbit/s, GOP 50 (IDR every 2 s), no B-frames
#   sub.h264      640x360   25 fps H.264 Main, ~512 kbit/s, GOP 50, no B-frames
#   main.h265     1920x1080 25 fps H.265 Main, ~2 Mbit/s, GOP 50 (closed), no B-frames
#   frames.mjpeg  640x360   10 fps JPEGs, one after the other
#   audio.aac     AAC-LC, 16 kHz mono, ADTS, a 1 kHz beep every second
#   audio.pcma    G.711 A-law, 8 kHz mono, raw, the same beep
#
# Every video frame shows its number in the clip (0..249, 0..99 for MJPEG) in
# large digits, so that a test can tell frames apart. Clips are 10 s long: a
# whole number of GOPs, so that looping them is seamless. Annex B streams carry
# an access unit delimiter before each frame and SPS/PPS (VPS) before each IDR.
#
# Usage: make-clips.sh OUTDIR    (does nothing when OUTDIR has all the clips)
set -eu

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
out=$1
clips="main.h264 sub.h264 main.h265 frames.mjpeg audio.aac audio.pcma"

# Raised whenever the recipe below changes, so that old clips are made again.
recipe=2

have_all=yes
for c in $clips; do
  [ -s "$out/$c" ] || have_all=no
done
[ "$(cat "$out/.recipe" 2>/dev/null)" = "$recipe" ] || have_all=no
[ "$have_all" = yes ] && exit 0

command -v ffmpeg >/dev/null || { echo "$0: ffmpeg not found" >&2; exit 1; }
mkdir -p "$out"

font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
if [ -r "$font" ]; then
  fontopt="fontfile=$font:"
else
  fontopt=""   # fontconfig's default sans font
fi

# drawtext for a frame of height $1: the frame number in the middle, label $2
# at the bottom left (testsrc2 draws its own time and frame count at the top
# left).
counter() {
  size=$(( $1 / 4 ))
  small=$(( $1 / 24 ))
  printf "drawtext=%stext='%%{frame_num}':fontsize=%d:fontcolor=white:box=1:boxcolor=black@0.7:boxborderw=%d:x=(w-tw)/2:y=(h-th)/2," \
    "$fontopt" "$size" $(( size / 10 ))
  printf "drawtext=%stext='%s':fontsize=%d:fontcolor=yellow:box=1:boxcolor=black@0.7:x=%d:y=h-th-%d" \
    "$fontopt" "$2" "$small" "$small" "$small"
}

seconds=10
ff="ffmpeg -nostdin -hide_banner -loglevel error -y"
tmp="$out/.tmp.$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# x264/x265 options shared by the streams: fixed GOP of 50, no scene-cut
# keyframes, no B-frames, parameter sets before each IDR, AUD before each frame.
x264="keyint=50:min-keyint=50:scenecut=0:bframes=0:repeat-headers=1:aud=1"
x265="keyint=50:min-keyint=50:scenecut=0:bframes=0:repeat-headers=1:aud=1:open-gop=0:log-level=error"

src() {  # WxH RATE
  printf "testsrc2=size=%s:rate=%s:duration=%s" "$1" "$2" "$seconds"
}

$ff -f lavfi -i "$(src 1920x1080 25),$(counter 1080 'vigie-camsim main 1080p H.264')" \
  -c:v libx264 -preset veryfast -profile:v main -pix_fmt yuv420p \
  -b:v 4M -maxrate 4M -bufsize 4M -x264-params "$x264" -f h264 "$tmp/main.h264" &
pid_main=$!

$ff -f lavfi -i "$(src 640x360 25),$(counter 360 'vigie-camsim sub 360p H.264')" \
  -c:v libx264 -preset veryfast -profile:v main -pix_fmt yuv420p \
  -b:v 512k -maxrate 512k -bufsize 512k -x264-params "$x264" -f h264 "$tmp/sub.h264"

# The standard Huffman tables, as IP cameras use: RTP/JPEG (RFC 2435) carries no others.
$ff -f lavfi -i "$(src 640x360 10),$(counter 360 'vigie-camsim MJPEG')" \
  -c:v mjpeg -huffman default -q:v 5 -pix_fmt yuvj420p -f mjpeg "$tmp/frames.mjpeg"

beep="sine=frequency=1000:beep_factor=2:duration=$seconds"
$ff -f lavfi -i "$beep:sample_rate=16000" -ac 1 -c:a aac -b:a 32k -f adts "$tmp/audio.aac"
$ff -f lavfi -i "$beep:sample_rate=8000" -ac 1 -c:a pcm_alaw -f alaw "$tmp/audio.pcma"

wait $pid_main

$ff -f lavfi -i "$(src 1920x1080 25),$(counter 1080 'vigie-camsim main 1080p H.265')" \
  -c:v libx265 -preset ultrafast -pix_fmt yuv420p -b:v 2M -x265-params "$x265" \
  -f hevc "$tmp/main.h265"

for c in $clips; do
  mv -f "$tmp/$c" "$out/$c"
done
echo "$recipe" > "$out/.recipe"
