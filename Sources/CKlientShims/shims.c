#define _GNU_SOURCE
#include "CKlientShims.h"
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <signal.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

size_t klient_cmsg_space_fds(int count) {
    return CMSG_SPACE(sizeof(int) * (size_t)count);
}

void klient_cmsg_put_fds(struct msghdr *msg, void *control, size_t controlLength,
                         const int *fds, int count) {
    memset(control, 0, controlLength);
    msg->msg_control = control;
    msg->msg_controllen = controlLength;
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)count);
    memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * (size_t)count);
}

int klient_cmsg_get_fds(struct msghdr *msg, int *fds, int maxCount) {
    int found = 0;
    for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL; cmsg = CMSG_NXTHDR(msg, cmsg)) {
        if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) continue;
        size_t n = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        const int *data = (const int *)CMSG_DATA(cmsg);
        for (size_t i = 0; i < n; i++) {
            int fd;
            memcpy(&fd, data + i, sizeof(int));
            if (found < maxCount) fds[found++] = fd;
            else close(fd); // more than the caller can own: never leak them
        }
    }
    return found;
}

int klient_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}

int klient_pipe2(int fds[2], int flags) { return pipe2(fds, flags); }

int klient_peer_credentials(int fd, int32_t *pid, uint32_t *uid, uint32_t *gid) {
    struct ucred credentials;
    socklen_t length = sizeof credentials;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return -1;
    *pid = credentials.pid;
    *uid = credentials.uid;
    *gid = credentials.gid;
    return 0;
}

void klient_set_thread_name(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = 0;
    (void)pthread_setname_np(pthread_self(), truncated);
}

// A signal handler must be async-signal-safe: it only write(2)s one byte.
static volatile int klient_signal_pipe = -1;
static struct sigaction klient_signal_saved[NSIG];
static unsigned char klient_signal_is_saved[NSIG];

static void klient_signal_handler(int signo) {
    int saved = errno;
    unsigned char byte = (unsigned char)signo;
    if (klient_signal_pipe >= 0) (void)!write(klient_signal_pipe, &byte, 1);
    errno = saved;
}

void klient_signal_set_pipe(int writeFd) { klient_signal_pipe = writeFd; }

int klient_signal_catch(int signo) {
    if (signo <= 0 || signo >= NSIG) { errno = EINVAL; return -1; }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = klient_signal_handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    struct sigaction previous;
    if (sigaction(signo, &action, &previous) != 0) return -1;
    if (!klient_signal_is_saved[signo]) {
        klient_signal_saved[signo] = previous;
        klient_signal_is_saved[signo] = 1;
    }
    return 0;
}

int klient_signal_restore(int signo) {
    if (signo <= 0 || signo >= NSIG) { errno = EINVAL; return -1; }
    if (!klient_signal_is_saved[signo]) return 0;
    klient_signal_is_saved[signo] = 0;
    return sigaction(signo, &klient_signal_saved[signo], NULL);
}

int klient_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}
long klient_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
long klient_ssl_ctx_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}
int klient_ssl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}
int klient_ssl_get_ex_new_index(void) { return SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL); }
int klient_ssl_ctx_get_ex_new_index(void) { return SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL); }
void klient_openssl_free(void *ptr) { OPENSSL_free(ptr); }
EVP_PKEY *klient_ec_keygen(const char *curve) { return EVP_EC_gen(curve); }
EVP_PKEY *klient_rsa_keygen(unsigned int bits) { return EVP_RSA_gen(bits); }
long klient_ssl_session_reused(SSL *ssl) { return SSL_session_reused(ssl); }

short klient_spawn_flag_setsid(void) { return POSIX_SPAWN_SETSID; }
int klient_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}
int klient_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}
int klient_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int klient_pty_open(char *name, size_t nameLength) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -1;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0 || ptsname_r(fd, name, nameLength) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int klient_pty_set_size(int fd, unsigned short rows, unsigned short columns) {
    struct winsize size;
    memset(&size, 0, sizeof size);
    size.ws_row = rows;
    size.ws_col = columns;
    return ioctl(fd, TIOCSWINSZ, &size);
}

int klient_pty_get_size(int fd, unsigned short *rows, unsigned short *columns) {
    struct winsize size;
    memset(&size, 0, sizeof size);
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) return -1;
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}
