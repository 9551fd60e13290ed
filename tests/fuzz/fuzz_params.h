/* fuzz_params.h: the check of gqlsse_gql_params_read shared by fuzz_fcgi.c and
 * fuzz_http.c (include after fuzz_check.h and http/request.h). */
#ifndef GQLSSE_FUZZ_PARAMS_H
#define GQLSSE_FUZZ_PARAMS_H

#include <json-c/json.h>
#include <string.h>

/* GET and POST give 0 with a query (its length counting any NULs inside), or
 * 400/415 (500: out of memory) with a message; variables and extensions are
 * objects. */
static void fuzz_check_params_read(const gqlsse_request *r, int is_post)
{
    gqlsse_gql_params gp;
    const char *message = NULL;
    int status = gqlsse_gql_params_read(r, is_post, &gp, &message);
    if (status) {
        CHECK(status == 400 || status == 415 || status == 500, "params status not 400, 415 or 500");
        CHECK(message && *message, "an error status without a message");
    } else {
        CHECK(gp.query, "status 0 without a query");
        CHECK(gp.query_len >= strlen(gp.query), "query_len shorter than the query");
        CHECK(!gp.operation_name || gp.operation_name_len >= strlen(gp.operation_name),
              "operation_name_len shorter than the name");
        CHECK(!gp.variables || json_object_is_type(gp.variables, json_type_object),
              "variables not an object");
        CHECK(!gp.extensions || json_object_is_type(gp.extensions, json_type_object),
              "extensions not an object");
    }
    gqlsse_gql_params_clear(&gp);
}

#endif
