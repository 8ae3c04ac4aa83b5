/*
 * Test-only bridge to libsrtp 2 for cross-implementation tests; compiled by libsrtp-interop.test.ts.
 * Usage: libsrtp-helper <profile id> <protect|unprotect> <master key||salt in hex>
 * Reads lines "rtp <hex>" / "rtcp <hex>" from stdin; writes "ok <hex>" or "err <status>" per line.
 */
#include <srtp2/srtp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unhex(const char *s, unsigned char *out, int max) {
  int n = 0;
  while (s[0] && s[1] && s[0] != '\n') {
    if (n >= max) return -1;
    unsigned int b;
    if (sscanf(s, "%2x", &b) != 1) return -1;
    out[n++] = (unsigned char)b;
    s += 2;
  }
  return n;
}

int main(int argc, char **argv) {
  if (argc != 4) return 2;
  int profile = atoi(argv[1]);
  int protect = strcmp(argv[2], "protect") == 0;
  unsigned char key[64];
  if (unhex(argv[3], key, sizeof key) < 0) return 2;
  if (srtp_init() != srtp_err_status_ok) return 3;
  srtp_policy_t policy;
  memset(&policy, 0, sizeof policy);
  if (srtp_crypto_policy_set_from_profile_for_rtp(&policy.rtp, (srtp_profile_t)profile) != srtp_err_status_ok) return 4;
  if (srtp_crypto_policy_set_from_profile_for_rtcp(&policy.rtcp, (srtp_profile_t)profile) != srtp_err_status_ok) return 4;
  policy.ssrc.type = protect ? ssrc_any_outbound : ssrc_any_inbound;
  policy.key = key;
  policy.window_size = 128;
  policy.next = NULL;
  srtp_t session;
  if (srtp_create(&session, &policy) != srtp_err_status_ok) return 5;

  static char line[8192];
  static unsigned char buf[4096];
  while (fgets(line, sizeof line, stdin)) {
    int rtcp = strncmp(line, "rtcp ", 5) == 0;
    int len = unhex(line + (rtcp ? 5 : 4), buf, (int)sizeof buf - SRTP_MAX_TRAILER_LEN - 8);
    if (len < 0) {
      printf("err parse\n");
      continue;
    }
    srtp_err_status_t st;
    if (rtcp) {
      st = protect ? srtp_protect_rtcp(session, buf, &len) : srtp_unprotect_rtcp(session, buf, &len);
    } else {
      st = protect ? srtp_protect(session, buf, &len) : srtp_unprotect(session, buf, &len);
    }
    if (st != srtp_err_status_ok) {
      printf("err %d\n", (int)st);
    } else {
      printf("ok ");
      for (int i = 0; i < len; i++) printf("%02x", buf[i]);
      printf("\n");
    }
    fflush(stdout);
  }
  srtp_dealloc(session);
  srtp_shutdown();
  return 0;
}
