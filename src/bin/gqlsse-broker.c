/* gqlsse-broker.c: the broker's main: options, configuration file, signals;
 * the loop itself is src/bus/broker.c. */
#include "config.h"

#include "bus/broker.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void usage(FILE *f)
{
    fputs("Usage: gqlsse-broker [--config FILE] [options]\n"
          "\n"
          "Forwards events from publishers (gqlsse publish, libgqlsse, any ZeroMQ PUB)\n"
          "to gqlsse workers: XSUB frontend, XPUB backend. Every message is validated\n"
          "(malformed ones are dropped, counted and logged) and stamped with the run id\n"
          "and sequence numbers. Format: docs/broker-protocol.md.\n"
          "\n"
          "  --config FILE          key = value file (keys as the long options, with _)\n"
          "  --frontend ADDR        publishers connect here (default tcp://127.0.0.1:5561)\n"
          "  --backend ADDR         workers connect here (default tcp://127.0.0.1:5562)\n"
          "  --sndhwm N             messages queued per worker before drops (100000)\n"
          "  --rcvhwm N             messages queued from publishers (100000)\n"
          "  --max-message-size N   largest JSON frame in bytes, K/M suffix (1M)\n"
          "  --max-topics N         topics with sequence numbers kept (100000)\n"
          "  --stats-interval SEC   seconds between count lines, 0: at exit only (60)\n"
          "  --log-level LEVEL      error, warn, info or debug (info)\n"
          "  -h, --help             this help; --version the version\n"
          "\n"
          "Addresses are tcp://HOST:PORT or ipc://PATH; bind loopback or a private\n"
          "directory (there is no authentication). Options override the file.\n"
          "Logs go to stderr. SIGTERM or SIGINT stop it cleanly (exit 0);\n"
          "exit 1 when it cannot start, 2 for usage errors.\n",
          f);
}

int main(int argc, char **argv)
{
    static const char *const keys[][2] = {
        {"--frontend", "frontend"},     {"--backend", "backend"},
        {"--sndhwm", "sndhwm"},         {"--rcvhwm", "rcvhwm"},
        {"--max-message-size", "max_message_size"}, {"--max-topics", "max_topics"},
        {"--stats-interval", "stats_interval"},     {"--log-level", "log_level"},
    };
    gqlsse_broker_config cfg;
    char err[512];
    int rc = 2;
    if (gqlsse_broker_config_init(&cfg) < 0) {
        fputs("gqlsse-broker: out of memory\n", stderr);
        return 1;
    }
    /* The file first, so that options override it. */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            rc = 0;
            goto out;
        }
        if (!strcmp(argv[i], "--version")) {
            printf("gqlsse-broker %s\n", PACKAGE_VERSION);
            rc = 0;
            goto out;
        }
        if (!strcmp(argv[i], "--config")) {
            if (i + 1 >= argc) {
                fputs("gqlsse-broker: --config needs a file\n", stderr);
                goto out;
            }
            if (gqlsse_broker_config_load(&cfg, argv[i + 1], err, sizeof err) < 0) {
                fprintf(stderr, "gqlsse-broker: %s\n", err);
                goto out;
            }
        }
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config")) {
            i++;
            continue;
        }
        size_t k;
        for (k = 0; k < sizeof keys / sizeof *keys; k++)
            if (!strcmp(argv[i], keys[k][0]))
                break;
        if (k == sizeof keys / sizeof *keys) {
            fprintf(stderr, "gqlsse-broker: unknown option %s\n", argv[i]);
            usage(stderr);
            goto out;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "gqlsse-broker: %s needs a value\n", argv[i]);
            goto out;
        }
        if (gqlsse_broker_config_set(&cfg, keys[k][1], argv[++i], err, sizeof err) < 0) {
            fprintf(stderr, "gqlsse-broker: %s\n", err);
            goto out;
        }
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    rc = gqlsse_broker_run(&cfg, &stop_flag);
out:
    gqlsse_broker_config_clear(&cfg);
    return rc;
}
