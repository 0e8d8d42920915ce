/* test-hash.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "capi-hash.h"

static void
test_hash_vectors (void)
{
  /* FIPS 180-2 test vectors. */
  g_autofree char *empty = capi_hash_sha256 ("");
  g_autofree char *abc = capi_hash_sha256 ("abc");

  g_assert_cmpstr (empty, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  g_assert_cmpstr (abc, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_hash_snap_phone_example (void)
{
  /* Snap's documented example: +44 844 412 4653 normalizes to 448444124653. */
  g_autofree char *hash = capi_hash_sha256 ("448444124653");

  g_assert_cmpstr (hash, ==, "dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383");
}

static void
test_hash_utf8 (void)
{
  g_autofree char *hash = capi_hash_sha256 ("raphaël");

  g_assert_cmpuint (strlen (hash), ==, 64);
  g_assert_true (capi_hash_is_sha256 (hash));
  g_assert_false (capi_hash_has_uppercase (hash));
}

static void
test_hash_detect (void)
{
  g_assert_true (capi_hash_is_sha256 ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  g_assert_true (capi_hash_is_sha256 ("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"));
  g_assert_true (capi_hash_has_uppercase ("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"));
  /* 63 and 65 characters, a non-hex letter, NULL. */
  g_assert_false (capi_hash_is_sha256 ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85"));
  g_assert_false (capi_hash_is_sha256 ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555"));
  g_assert_false (capi_hash_is_sha256 ("g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  g_assert_false (capi_hash_is_sha256 (NULL));
  g_assert_false (capi_hash_has_uppercase ("person@example.com"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/capi/hash/vectors", test_hash_vectors);
  g_test_add_func ("/capi/hash/snap-phone-example", test_hash_snap_phone_example);
  g_test_add_func ("/capi/hash/utf8", test_hash_utf8);
  g_test_add_func ("/capi/hash/detect", test_hash_detect);

  return g_test_run ();
}
