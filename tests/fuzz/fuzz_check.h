/* fuzz_check.h: what the network-input fuzz targets (fuzz_fcgi.c,
 * fuzz_http.c, fuzz_bus.c, fuzz_control.c, fuzz_ws.c) share: CHECK(cond,
 * why) abort()s with the input on stderr when an expected property does not
 * hold. Each target is also built without libFuzzer as a unit test
 * (tests/unit/fuzz_replay.c) that replays its corpus and the kept crash
 * inputs, so everything here is plain C11. */
#ifndef GQLSSE_FUZZ_CHECK_H
#define GQLSSE_FUZZ_CHECK_H

#include "config.h" /* first: _GNU_SOURCE */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *fuzz_input;
static size_t fuzz_input_size;

static void fuzz_fail(const char *target, const char *why, int line)
{
    fprintf(stderr, "%s:%d: %s\n---- input (%zu bytes) ----\n", target, line, why,
            fuzz_input_size);
    if (fuzz_input)
        fwrite(fuzz_input, 1, fuzz_input_size, stderr);
    fprintf(stderr, "\n---- end of input ----\n");
    abort();
}

/* A bus or control message as a fuzz input: "TOPIC\nJSON" (no newline: all
 * topic, empty JSON). */
static inline void fuzz_split_message(const uint8_t *data, size_t size, size_t *topic_len,
                                      const uint8_t **json, size_t *json_len)
{
    const uint8_t *nl = memchr(data, '\n', size);
    *topic_len = nl ? (size_t)(nl - data) : size;
    *json = nl ? nl + 1 : data + size;
    *json_len = size - (size_t)(*json - data);
}

#define CHECK(cond, why)                                                                      \
    do {                                                                                      \
        if (!(cond))                                                                          \
            fuzz_fail(FUZZ_NAME, (why), __LINE__);                                            \
    } while (0)

#endif
