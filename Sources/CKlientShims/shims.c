#include "CKlientShims.h"
#include <string.h>
#include <unistd.h>

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
