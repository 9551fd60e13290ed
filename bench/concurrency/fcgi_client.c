/* Prototype for docs/worker-design.md (not part of the build). */
/* Holds N idle FastCGI requests open against a server; reports the server's RSS. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
static long rss_kib(int pid){char p[64],l[256];snprintf(p,sizeof p,"/proc/%d/status",pid);FILE*f=fopen(p,"r");long v=-1;if(!f)return -1;while(fgets(l,sizeof l,f))if(!strncmp(l,"VmRSS:",6))v=atol(l+6);fclose(f);return v;}
static long threads(int pid){char p[64],l[256];snprintf(p,sizeof p,"/proc/%d/status",pid);FILE*f=fopen(p,"r");long v=-1;if(!f)return -1;while(fgets(l,sizeof l,f))if(!strncmp(l,"Threads:",8))v=atol(l+8);fclose(f);return v;}
static void cpu(int pid,long*ut,long*st){char p[64],b[1024];snprintf(p,sizeof p,"/proc/%d/stat",pid);FILE*f=fopen(p,"r");if(!f)return;size_t n=fread(b,1,sizeof b-1,f);b[n]=0;fclose(f);char*s=strrchr(b,')');long a[20];int i=0;char*t=strtok(s+2," ");while(t&&i<15){a[i++]=atol(t);t=strtok(NULL," ");}*ut=a[11];*st=a[12];}
static size_t put_nv(unsigned char*o,const char*n,const char*v){size_t nl=strlen(n),vl=strlen(v),k=0;o[k++]=nl;o[k++]=vl;memcpy(o+k,n,nl);k+=nl;memcpy(o+k,v,vl);return k+vl;}
static size_t rec(unsigned char*o,int type,const unsigned char*c,size_t len){o[0]=1;o[1]=type;o[2]=0;o[3]=1;o[4]=len>>8;o[5]=len&255;o[6]=0;o[7]=0;memcpy(o+8,c,len);return 8+len;}
int main(int argc,char**argv){
  int port=atoi(argv[1]),n=atoi(argv[2]),pid=atoi(argv[3]);int hold=argc>4?atoi(argv[4]):5;
  unsigned char params[2048];size_t pl=0;
  const char*kv[][2]={{"SERVER_PROTOCOL","HTTP/2.0"},{"REQUEST_METHOD","GET"},{"QUERY_STRING","query=subscription%7Bidle%7D"},{"HTTP_ACCEPT","text/event-stream"},{"SCRIPT_NAME","/graphql"},{"REQUEST_URI","/graphql?query=subscription%7Bidle%7D"},{"SERVER_NAME","127.0.0.1"},{"SERVER_PORT","8080"},{"REMOTE_ADDR","127.0.0.1"},{"REMOTE_PORT","50000"},{"GATEWAY_INTERFACE","CGI/1.1"},{"SERVER_SOFTWARE","lighttpd/1.4.69"},{"HTTP_HOST","127.0.0.1:8080"},{"HTTP_USER_AGENT","curl/7.88.1"},{"DOCUMENT_ROOT","/var/www"},{"SCRIPT_FILENAME","/var/www/graphql"},{"CONTENT_LENGTH","0"}};
  for(size_t i=0;i<sizeof kv/sizeof*kv;i++)pl+=put_nv(params+pl,kv[i][0],kv[i][1]);
  unsigned char req[4096];size_t rl=0;unsigned char begin[8]={0,1,0,0,0,0,0,0};
  rl+=rec(req+rl,1,begin,8);rl+=rec(req+rl,4,params,pl);rl+=rec(req+rl,4,NULL,0);rl+=rec(req+rl,5,NULL,0);
  long r0=rss_kib(pid);long u0=0,s0=0;cpu(pid,&u0,&s0);
  int*fds=calloc(n,sizeof*fds);struct sockaddr_in a={.sin_family=AF_INET,.sin_port=htons(port)};a.sin_addr.s_addr=htonl(0x7f000001);
  struct timespec t0,t1;clock_gettime(CLOCK_MONOTONIC,&t0);
  for(int i=0;i<n;i++){fds[i]=socket(AF_INET,SOCK_STREAM,0);if(connect(fds[i],(void*)&a,sizeof a)<0){perror("connect");return 1;}
    if(write(fds[i],req,rl)!=(ssize_t)rl){perror("write");return 1;}
    /* wait for the first STDOUT bytes (headers + ":") */
    char b[1024];struct pollfd p={fds[i],POLLIN,0};if(poll(&p,1,5000)<=0){fprintf(stderr,"no answer on %d\n",i);return 1;}
    ssize_t k=read(fds[i],b,sizeof b);if(k<=0){fprintf(stderr,"closed on %d\n",i);return 1;}}
  clock_gettime(CLOCK_MONOTONIC,&t1);
  sleep(1);long r1=rss_kib(pid);long u1,s1;cpu(pid,&u1,&s1);
  sleep(hold);long u2,s2;cpu(pid,&u2,&s2);long r2=rss_kib(pid);
  printf("n=%d open_s=%.2f rss_before=%ldKiB rss_after=%ldKiB per_stream=%.2fKiB threads=%ld idle_cpu_ticks_%ds=%ld\n",n,
    (t1.tv_sec-t0.tv_sec)+(t1.tv_nsec-t0.tv_nsec)/1e9,r0,r2,(double)(r2-r0)/n,threads(pid),hold,(u2+s2)-(u1+s1));
  for(int i=0;i<n;i++)close(fds[i]);return 0;}
