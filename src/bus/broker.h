/* broker.h: gqlsse-broker's forwarding loop: XSUB frontend (publishers), XPUB
 * backend (workers), validation and sequence stamping of every message. */
#ifndef GQLSSE_BUS_BROKER_H
#define GQLSSE_BUS_BROKER_H

#include <signal.h>
#include <stddef.h>

enum { BROKER_LOG_ERROR = 0, BROKER_LOG_WARN, BROKER_LOG_INFO, BROKER_LOG_DEBUG };

/* The broker's settings. The strings are owned by the config (malloc'd,
 * released by gqlsse_broker_config_clear). */
typedef struct gqlsse_broker_config {
    char *frontend;        /* publishers connect here (XSUB bind) */
    char *backend;         /* workers connect here (XPUB bind) */
    int sndhwm;            /* messages queued per worker before drops */
    int rcvhwm;            /* messages queued from publishers */
    size_t max_message;    /* largest accepted JSON frame, bytes */
    size_t max_topics;     /* topics whose sequence numbers are kept */
    int stats_interval;    /* seconds between count lines (0: only at exit) */
    int log_level;
} gqlsse_broker_config;

/* Fills the defaults (loopback addresses of the demo). Returns 0, -1 when
 * out of memory. */
int gqlsse_broker_config_init(gqlsse_broker_config *c);
void gqlsse_broker_config_clear(gqlsse_broker_config *c);

/* Sets one key ("frontend", "backend", "sndhwm", "rcvhwm", "max_message_size",
 * "max_topics", "stats_interval", "log_level") from its text value. Returns
 * 0, or -1 with a message in err[errlen]. */
int gqlsse_broker_config_set(gqlsse_broker_config *c, const char *key, const char *value,
                             char *err, size_t errlen);

/* Reads a `key = value` file (docs/broker-protocol.md). Returns 0, or -1 with
 * "FILE:LINE: message" in err[errlen]. */
int gqlsse_broker_config_load(gqlsse_broker_config *c, const char *path, char *err,
                              size_t errlen);

/* Binds and forwards until *stop becomes non-zero (set it from a signal
 * handler). Returns 0 after a clean stop, 1 when start-up failed (logged).
 * Logs to stderr, one line per event. */
int gqlsse_broker_run(const gqlsse_broker_config *c, volatile sig_atomic_t *stop);

#endif
