// Fixed-arity forwarders for the opus_*_ctl requests wagate uses (Swift does not
// import C varargs). Each returns the libopus error code (OPUS_OK on success).
// Threads: an encoder/decoder belongs to one caller at a time; no locking here.
#ifndef WAGATE_OPUS_SHIMS_H
#define WAGATE_OPUS_SHIMS_H
#include <opus/opus.h>

int opus_shim_set_bitrate(OpusEncoder *enc, opus_int32 bitrate);
int opus_shim_set_complexity(OpusEncoder *enc, opus_int32 complexity);
int opus_shim_set_inband_fec(OpusEncoder *enc, opus_int32 enabled);
int opus_shim_set_packet_loss_perc(OpusEncoder *enc, opus_int32 percent);
int opus_shim_set_dtx(OpusEncoder *enc, opus_int32 enabled);
int opus_shim_set_signal_voice(OpusEncoder *enc);
int opus_shim_set_vbr(OpusEncoder *enc, opus_int32 enabled);
int opus_shim_get_bitrate(OpusEncoder *enc, opus_int32 *bitrate);
int opus_shim_get_complexity(OpusEncoder *enc, opus_int32 *complexity);
int opus_shim_get_lookahead(OpusEncoder *enc, opus_int32 *samples);
int opus_shim_encoder_reset(OpusEncoder *enc);
int opus_shim_decoder_reset(OpusDecoder *dec);
int opus_shim_decoder_get_last_packet_duration(OpusDecoder *dec, opus_int32 *samples);
int opus_shim_get_inband_fec(OpusEncoder *enc, opus_int32 *enabled);
int opus_shim_get_packet_loss_perc(OpusEncoder *enc, opus_int32 *percent);
int opus_shim_set_max_bandwidth(OpusEncoder *enc, opus_int32 bandwidth);
int opus_shim_get_max_bandwidth(OpusEncoder *enc, opus_int32 *bandwidth);

#endif
