// See sofia_log_shims.h.
#include "sofia_log_shims.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <sofia-sip/su_log.h>
#include <sofia-sip/tport_tag.h>

#define TAG1(expr) do { tagi_t t = { expr }; return t; } while (0)

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static sofia_log_line_f log_sink;
static void *log_context;
static char line_buffer[SOFIA_LOG_LINE_MAX];
static size_t line_length;

/* su_logger_f: formats one fragment and hands on every line it completes.
   Sofia writes a message trace line in several fragments (indent, text, "\n"). */
static void shim_logger(void *stream, char const *fmt, va_list ap) {
    (void)stream;
    char piece[4096];
    int n = vsnprintf(piece, sizeof piece, fmt, ap);
    if (n < 0) return;
    size_t length = (size_t)n < sizeof piece ? (size_t)n : sizeof piece - 1;
    pthread_mutex_lock(&log_lock);
    for (size_t i = 0; i < length; i++) {
        char c = piece[i];
        if (c == '\n') {
            if (log_sink) log_sink(log_context, line_buffer, line_length);
            line_length = 0;
        } else if (line_length < SOFIA_LOG_LINE_MAX) {
            line_buffer[line_length++] = c;
        }
    }
    pthread_mutex_unlock(&log_lock);
}

void sofia_log_redirect(sofia_log_line_f sink, void *context) {
    pthread_mutex_lock(&log_lock);
    log_sink = sink;
    log_context = context;
    line_length = 0;
    pthread_mutex_unlock(&log_lock);
    su_log_redirect(NULL, shim_logger, NULL);
}

tagi_t sofia_tptag_log(int on) { TAG1(TPTAG_LOG(on)); }
