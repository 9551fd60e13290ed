/* Prototype for docs/worker-design.md (not part of the build). */
/* Prototype: one epoll loop, FastCGI records parsed by hand; idle SSE stream. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcgiapp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sys/ioctl.h>
typedef struct conn { int fd; uint16_t id; uint8_t state; uint32_t have; unsigned char hdr[8]; uint32_t need; char *params; uint32_t plen; } conn;
static void reply(conn *c){ static const char body[]="Status: 200\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n:\n\n";
  unsigned char o[256]; size_t l=sizeof body-1; o[0]=1;o[1]=6;o[2]=c->id>>8;o[3]=c->id&255;o[4]=l>>8;o[5]=l&255;o[6]=0;o[7]=0; memcpy(o+8,body,l); (void)!write(c->fd,o,8+l); }
int main(int argc, char **argv){
  FCGX_Init(); int ls = FCGX_OpenSocket(argv[1], 4096); if (ls < 0) return 1;
  { int fl = 1; ioctl(ls, FIONBIO, &fl); } int ep = epoll_create1(0); struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL}; epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
  struct epoll_event evs[256];
  for (;;) { int n = epoll_wait(ep, evs, 256, 12000);
    for (int i = 0; i < n; i++) { conn *c = evs[i].data.ptr;
      if (!c) { int fd; while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK|SOCK_CLOEXEC)) >= 0) { c = calloc(1, sizeof *c); c->fd = fd;
          struct epoll_event e = {.events = EPOLLIN|EPOLLRDHUP, .data.ptr = c}; epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e); } continue; }
      unsigned char b[4096]; ssize_t k = read(c->fd, b, sizeof b);
      if (k <= 0) { if (k < 0 && errno == EAGAIN) continue; close(c->fd); free(c->params); free(c); continue; }
      /* walk the records (prototype: assumes whole records per read) */
      for (ssize_t off = 0; off + 8 <= k; ) { int type = b[off+1]; int len = (b[off+4]<<8)|b[off+5]; int pad = b[off+6];
        c->id = (b[off+2]<<8)|b[off+3];
        if (type == 4 && len) { c->params = realloc(c->params, c->plen + len); memcpy(c->params + c->plen, b+off+8, len); c->plen += len; }
        if (type == 5 && len == 0) { reply(c); free(c->params); c->params = NULL; c->plen = 0; }
        off += 8 + len + pad; } } } }
