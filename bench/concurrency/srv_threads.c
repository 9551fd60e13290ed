/* Prototype for docs/worker-design.md (not part of the build). */
/* Prototype: libfcgi, one thread per request on a small stack; idle SSE stream. */
#define _GNU_SOURCE
#include <fcgiapp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
static int lsock; static size_t stack_sz;
static void *serve(void *arg){
  FCGX_Request r; FCGX_InitRequest(&r, lsock, 0);
  if (FCGX_Accept_r(&r) < 0) return NULL;
  /* next thread takes the next request */
  pthread_attr_t at; pthread_attr_init(&at); pthread_attr_setstacksize(&at, stack_sz); pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
  pthread_t t; if (pthread_create(&t, &at, serve, NULL)) perror("pthread_create");
  FCGX_PutS("Status: 200\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n:\n\n", r.out);
  FCGX_FFlush(r.out);
  for (;;) { struct pollfd p = {r.ipcFd, POLLIN|POLLRDHUP, 0}; int k = poll(&p, 1, 12000);
    if (k == 0) { FCGX_PutS(":\n\n", r.out); if (FCGX_FFlush(r.out) < 0) break; continue; }
    char c; if (recv(r.ipcFd, &c, 1, MSG_PEEK|MSG_DONTWAIT) == 0) break; }
  FCGX_Finish_r(&r); return NULL; }
int main(int argc, char **argv){
  stack_sz = (size_t)atoi(argv[2]) * 1024;
  FCGX_Init(); lsock = FCGX_OpenSocket(argv[1], 4096); if (lsock < 0) return 1;
  pthread_attr_t at; pthread_attr_init(&at); pthread_attr_setstacksize(&at, stack_sz); pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
  pthread_t t; pthread_create(&t, &at, serve, NULL);
  for (;;) pause(); }
