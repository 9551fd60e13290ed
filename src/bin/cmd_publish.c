/* cmd_publish.c: `gqlsse publish`: one model or custom event to the broker
 * through the libgqlsse publish API (gqlsse/publish.h). */
#include "config.h"

#include "bin/cli.h"

#include <gqlsse/publish.h>

#include "bus/codec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void publish_usage(FILE *f)
{
    fputs("Usage: gqlsse publish --model NAME --event create|update|delete --data JSON|@FILE\n"
          "       gqlsse publish --topic NAME --data JSON|@FILE\n"
          "\n"
          "Publishes one event to gqlsse-broker (format: docs/broker-protocol.md).\n"
          "Model events carry a JSON object (for delete: the snapshot before deletion);\n"
          "custom events any JSON value. Waits until the broker is connected, sends,\n"
          "and prints the event id.\n"
          "\n"
          "Options:\n"
          "  --model NAME       model event on topic model/NAME/\n"
          "  --event KIND       create, update or delete (save = create or update is\n"
          "                     chosen by subscriptions, not published)\n"
          "  --topic NAME       custom event on topic topic/NAME/\n"
          "  --data JSON|@FILE  the event's data; @FILE reads a file, @- standard input\n"
          "  --id ID            the event id (default: 128 random bits in hex)\n"
          "  --address ADDR     the broker's frontend (default " GQLSSE_PUBLISH_DEFAULT_ADDRESS ")\n"
          "  --timeout MS       wait at most MS for the broker (default 3000)\n"
          "  -h, --help         show this help\n"
          "\n"
          "Exit status: 0 sent, 1 the broker was not reachable or sending failed,\n"
          "2 usage or invalid input (nothing sent).\n",
          f);
}

int gqlsse_cmd_publish(int argc, char **argv)
{
    const char *model = NULL, *event = NULL, *topic = NULL, *data_arg = NULL, *id = NULL;
    const char *address = NULL;
    unsigned long timeout = 3000;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            publish_usage(stdout);
            return CLI_OK;
        } else if (!strcmp(a, "--model")) {
            slot = &model;
        } else if (!strcmp(a, "--event")) {
            slot = &event;
        } else if (!strcmp(a, "--topic")) {
            slot = &topic;
        } else if (!strcmp(a, "--data")) {
            slot = &data_arg;
        } else if (!strcmp(a, "--id")) {
            slot = &id;
        } else if (!strcmp(a, "--address")) {
            slot = &address;
        } else if (!strcmp(a, "--timeout")) {
            if (i + 1 >= argc || cli_parse_uint(a, argv[i + 1], &timeout) < 0) {
                if (i + 1 >= argc)
                    fputs("gqlsse: --timeout needs a value\n", stderr);
                return CLI_USAGE;
            }
            i++;
            continue;
        } else {
            fprintf(stderr, "gqlsse: unknown %s %s\n", a[0] == '-' ? "option" : "argument", a);
            publish_usage(stderr);
            return CLI_USAGE;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "gqlsse: %s needs a value\n", a);
            return CLI_USAGE;
        }
        *slot = argv[++i];
    }
    if (!!model == !!topic) {
        fputs("gqlsse: publish needs either --model NAME --event KIND or --topic NAME\n",
              stderr);
        publish_usage(stderr);
        return CLI_USAGE;
    }
    if (model && !event) {
        fputs("gqlsse: --model needs --event create|update|delete\n", stderr);
        return CLI_USAGE;
    }
    if (topic && event) {
        fputs("gqlsse: --event applies to --model only\n", stderr);
        return CLI_USAGE;
    }
    if (!data_arg) {
        fputs("gqlsse: publish needs --data JSON or --data @FILE\n", stderr);
        return CLI_USAGE;
    }
    char *file_data = NULL;
    const char *data = data_arg;
    if (data_arg[0] == '@') {
        size_t len;
        file_data = cli_read_file(data_arg + 1, 64u * 1024 * 1024, &len);
        if (!file_data)
            return CLI_USAGE;
        if (strlen(file_data) != len) {
            fprintf(stderr, "gqlsse: %s contains a NUL byte\n", data_arg + 1);
            free(file_data);
            return CLI_USAGE;
        }
        data = file_data;
    }

    /* Validate first (the same codec the publisher uses): bad input fails
     * at once with 2, before any waiting for the broker. */
    int rc = CLI_USAGE;
    char msg[320];
    gql_buf tb = GQL_BUF_INIT, pb = GQL_BUF_INIT;
    int bad = model ? gqlsse_bus_encode_model(&tb, &pb, model, event, id, data, strlen(data),
                                              GQLSSE_BUS_DEFAULT_MAX_MESSAGE, msg, sizeof msg)
                    : gqlsse_bus_encode_topic(&tb, &pb, topic, id, data, strlen(data),
                                              GQLSSE_BUS_DEFAULT_MAX_MESSAGE, msg, sizeof msg);
    gql_buf_free(&tb);
    gql_buf_free(&pb);
    if (bad) {
        fprintf(stderr, "gqlsse: %s; nothing sent\n", msg);
        free(file_data);
        return CLI_USAGE;
    }

    char *err = NULL;
    gqlsse_publisher_options o = {0};
    o.address = address;
    o.linger_ms = (int)timeout;
    gqlsse_publisher *p = gqlsse_publisher_new_opts(&o, &err);
    if (!p) {
        fprintf(stderr, "gqlsse: cannot publish to %s\n", err ? err : "the broker");
        free(err);
        free(file_data);
        return CLI_USAGE;
    }
    /* The slow joiner: until the broker's subscription has arrived, ZeroMQ
     * would drop what we send. */
    gqlsse_publish_status st;
    if (gqlsse_publisher_wait_ready(p, (int)timeout) <= 0) {
        fprintf(stderr, "gqlsse: the broker at %s did not answer within %lu ms; nothing sent\n",
                address ? address : GQLSSE_PUBLISH_DEFAULT_ADDRESS, timeout);
        rc = CLI_ERRORS;
        goto out;
    }
    st = model ? gqlsse_publisher_publish_model_id(p, model, event, id, data)
               : gqlsse_publisher_publish_topic_id(p, topic, id, data);
    if (st == GQLSSE_PUBLISH_OK) {
        printf("%s\n", gqlsse_publisher_last_id(p));
        rc = CLI_OK;
    } else {
        fprintf(stderr, "gqlsse: %s%s\n", gqlsse_publisher_error(p),
                st == GQLSSE_PUBLISH_EINVAL || st == GQLSSE_PUBLISH_ETOOBIG ? "; nothing sent"
                                                                              : "");
        rc = st == GQLSSE_PUBLISH_EINVAL || st == GQLSSE_PUBLISH_ETOOBIG ? CLI_USAGE
                                                                         : CLI_ERRORS;
    }
out:
    gqlsse_publisher_free(p);
    free(file_data);
    return rc;
}
