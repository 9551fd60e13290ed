/* log.h: one line per event on stderr (the web server's error log), with a
 * level and the worker's pid. */
#ifndef GQLSSE_HTTP_LOG_H
#define GQLSSE_HTTP_LOG_H

enum {
    GQLSSE_LOG_ERROR = 0,
    GQLSSE_LOG_WARN = 1,
    GQLSSE_LOG_INFO = 2,
    GQLSSE_LOG_DEBUG = 3
};

/* The logger lives in the process's runtime object; `level` is the most
 * verbose level written. Thread-safe: each line is one write(2). */
typedef struct gqlsse_logger {
    int level;
    const char *prog; /* "gqlsse-fcgi" */
} gqlsse_logger;

/* Writes "gqlsse-fcgi[PID] LEVEL: message\n" when `level` <= lg->level.
 * Newlines inside the message are replaced so one event stays one line. */
void gqlsse_log(const gqlsse_logger *lg, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "error", "warn", "info", "debug" -> level; -1 when unknown. */
int gqlsse_log_level_parse(const char *name);
const char *gqlsse_log_level_name(int level);

#endif
