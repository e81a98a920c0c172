// Small C shims for what Swift cannot import: function-like macros, variadic
// functions and a few kernel headers Glibc's module map leaves out.
#ifndef CKLIENT_SHIMS_H
#define CKLIENT_SHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/signalfd.h>
#include <spawn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <openssl/ssl.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

// MARK: sockets

/// Builds a control message carrying `count` file descriptors (SCM_RIGHTS).
/// `control` must hold at least klient_cmsg_space_fds(count) bytes.
size_t klient_cmsg_space_fds(int count);
void klient_cmsg_put_fds(struct msghdr *msg, void *control, size_t controlLength,
                         const int *fds, int count);
/// Extracts up to `maxCount` descriptors received with SCM_RIGHTS; returns how many.
int klient_cmsg_get_fds(struct msghdr *msg, int *fds, int maxCount);

/// accept4(2) and pipe2(2) need _GNU_SOURCE, which Swift's Glibc module does not define.
int klient_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);
int klient_pipe2(int fds[2], int flags);
/// SO_PEERCRED: struct ucred is also _GNU_SOURCE-only. 0 or -1 (errno set).
int klient_peer_credentials(int fd, int32_t *pid, uint32_t *uid, uint32_t *gid);

/// Names the calling thread (visible in ps/top/gdb); truncated to 15 bytes.
void klient_set_thread_name(const char *name);

// MARK: signals

/// Sets the non-blocking write end of the self-pipe the signal handler writes to.
void klient_signal_set_pipe(int writeFd);
/// Installs a handler for `signo` that writes the signal number as one byte to the
/// self-pipe, saving the previous disposition the first time. 0 or -1 (errno set).
int klient_signal_catch(int signo);
/// Restores the disposition saved by klient_signal_catch. 0 or -1 (errno set).
int klient_signal_restore(int signo);

// MARK: processes (klient-sim host processes)

/// POSIX_SPAWN_SETSID (a _GNU_SOURCE constant).
short klient_spawn_flag_setsid(void);
/// posix_spawn_file_actions_addchdir_np and _addclosefrom_np (_GNU_SOURCE-only).
int klient_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);
int klient_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);
/// pidfd_open(2) through syscall(2) (variadic in C). A descriptor or -1 (errno set).
int klient_pidfd_open(pid_t pid);
/// Opens a pty master (O_RDWR|O_NOCTTY|O_CLOEXEC), grants and unlocks it and
/// writes the slave's path into `name`. The master or -1 (errno set).
int klient_pty_open(char *name, size_t nameLength);
/// TIOCSWINSZ (ioctl is variadic in C). 0 or -1 (errno set).
int klient_pty_set_size(int fd, unsigned short rows, unsigned short columns);
/// TIOCGWINSZ: the terminal's size. 0 or -1 (errno set, e.g. ENOTTY).
int klient_pty_get_size(int fd, unsigned short *rows, unsigned short *columns);

// MARK: OpenSSL macros

int klient_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version);
long klient_ssl_ctx_set_mode(SSL_CTX *ctx, long mode);
long klient_ssl_ctx_set_session_cache_mode(SSL_CTX *ctx, long mode);
int klient_ssl_set_tlsext_host_name(SSL *ssl, const char *name);
int klient_ssl_get_ex_new_index(void);
int klient_ssl_ctx_get_ex_new_index(void);
void klient_openssl_free(void *ptr);
/// Generates an EC key on the named curve (e.g. "P-256"), or NULL.
EVP_PKEY *klient_ec_keygen(const char *curve);
/// Generates an RSA key of `bits` bits, or NULL.
EVP_PKEY *klient_rsa_keygen(unsigned int bits);
long klient_ssl_session_reused(SSL *ssl);

#endif
