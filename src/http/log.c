/* log.c: stderr logging, one write(2) per line so concurrent lines from
 * several workers sharing an error log do not interleave. */
#include "config.h"

#include "http/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const level_names[] = {"error", "warn", "info", "debug"};

const char *gqlsse_log_level_name(int level)
{
    if (level < 0 || level > GQLSSE_LOG_DEBUG)
        return "?";
    return level_names[level];
}

int gqlsse_log_level_parse(const char *name)
{
    for (int i = 0; i <= GQLSSE_LOG_DEBUG; i++)
        if (strcasecmp(name, level_names[i]) == 0)
            return i;
    if (strcasecmp(name, "warning") == 0)
        return GQLSSE_LOG_WARN;
    return -1;
}

void gqlsse_log(const gqlsse_logger *lg, int level, const char *fmt, ...)
{
    if (lg && level > lg->level)
        return;
    char line[1024];
    int n = snprintf(line, sizeof line, "%s[%ld] %s: ", lg && lg->prog ? lg->prog : "gqlsse",
                     (long)getpid(), gqlsse_log_level_name(level));
    if (n < 0 || (size_t)n >= sizeof line)
        return;
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        return;
    size_t len = (size_t)n + (size_t)m;
    if (len > sizeof line - 2)
        len = sizeof line - 2; /* truncated */
    for (size_t i = (size_t)n; i < len; i++)
        if (line[i] == '\n' || line[i] == '\r')
            line[i] = ' ';
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}
