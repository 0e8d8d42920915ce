/* test-normalize.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "capi-normalize.h"

typedef struct
{
  const char *raw;
  const char *expected;   /* NULL: nothing usable */
} Case;

typedef char *(*NormalizeFunc) (const char *raw);

static void
check_cases (NormalizeFunc  func,
             const Case    *cases,
             gsize          n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *out = func (cases[i].raw);

      g_test_message ("input “%s”", cases[i].raw ? cases[i].raw : "(null)");
      g_assert_cmpstr (out, ==, cases[i].expected);
    }
}

static void
test_normalize_email (void)
{
  static const Case cases[] = {
    { "  Jane.Doe@Example.COM ", "jane.doe@example.com" },
    { "Person@Example.com", "person@example.com" },
    { "\tÜSER@Bücher.DE\n", "üser@bücher.de" },
    { "   ", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  check_cases (capi_normalize_email, cases, G_N_ELEMENTS (cases));
}

static void
test_normalize_phone_snap_example (void)
{
  g_autofree char *out = capi_normalize_phone ("+44 844 412 4653", NULL);
  g_autofree char *wire = NULL;
  g_autofree char *normalized = NULL;
  CapiValueState state = CAPI_VALUE_DROPPED;

  g_assert_cmpstr (out, ==, "448444124653");

  wire = capi_normalize_value_for_wire ("ph", "+44 844 412 4653", NULL, &state, &normalized);
  g_assert_cmpstr (normalized, ==, "448444124653");
  g_assert_cmpstr (wire, ==, "dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383");
  g_assert_cmpint (state, ==, CAPI_VALUE_HASHED);
}

static void
test_normalize_phone_international (void)
{
  static const struct { const char *raw; const char *country; const char *expected; } cases[] = {
    /* Snap's GTM template strips only the first "-" and space here. */
    { "+1 (650) 555-1212", NULL, "16505551212" },
    { "+1.650.555.1212", "DE", "16505551212" },
    { "0044 844 412 4653", NULL, "448444124653" },
    { "0044 844 412 4653", "de", "448444124653" },
    { "00 49 151 1234 5678", "US", "4915112345678" },
    /* The "(0)" of "+44 (0)20" is dialled only inside the country. */
    { "+44 (0)20 7946 0958", NULL, "442079460958" },
    { "448444124653", NULL, "448444124653" },
    { "+", NULL, NULL },
    { "00", NULL, NULL },
    { "n/a", "DE", NULL },
    { "", "DE", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = capi_normalize_phone (cases[i].raw, cases[i].country);

      g_test_message ("input “%s”", cases[i].raw);
      g_assert_cmpstr (out, ==, cases[i].expected);
    }

  g_assert_null (capi_normalize_phone (NULL, "DE"));
}

static void
test_normalize_phone_national (void)
{
  static const struct { const char *raw; const char *country; const char *expected; } cases[] = {
    { "0151 1234 5678", "DE", "4915112345678" },
    { "0151/1234-5678", "de", "4915112345678" },
    { "020 7946 0958", "GB", "442079460958" },
    { "(650) 555-1212", "US", "16505551212" },
    { "650-555-1212", "CA", "16505551212" },
    /* Italy keeps its leading 0 after the country code. */
    { "06 1234 5678", "IT", "390612345678" },
    /* Eleven NANP digits already carry the 1. */
    { "1 650 555 1212", "US", "16505551212" },
    /* Unknown default country: treated as none. */
    { "0151 1234 5678", "ZZ", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = capi_normalize_phone (cases[i].raw, cases[i].country);

      g_test_message ("input “%s” in %s", cases[i].raw, cases[i].country);
      g_assert_cmpstr (out, ==, cases[i].expected);
    }
}

static void
test_normalize_phone_no_default_country (void)
{
  g_autofree char *national = capi_normalize_phone ("0151 1234 5678", NULL);
  g_autofree char *bare = capi_normalize_phone ("650 555 1212", NULL);
  g_autofree char *wire = NULL;
  CapiValueState state = CAPI_VALUE_HASHED;

  /* No country is assumed: a national number cannot be completed... */
  g_assert_null (national);
  /* ...and digits without a trunk 0 are taken as given, not prefixed with 1. */
  g_assert_cmpstr (bare, ==, "6505551212");

  wire = capi_normalize_value_for_wire ("ph", "0151 1234 5678", NULL, &state, NULL);
  g_assert_null (wire);
  g_assert_cmpint (state, ==, CAPI_VALUE_DROPPED);
}

static void
test_normalize_name (void)
{
  static const Case cases[] = {
    { "Raphaël", "raphaël" },
    /* The same name with a combining diaeresis composes to the same text. */
    { "Raphae\xcc\x88l", "raphaël" },
    { "  O'Brien-Smith ", "obriensmith" },
    { "Mary  Ann", "mary ann" },
    { "J.R.R.", "jrr" },
    { "ÉLODIE", "élodie" },
    { "Zoë!", "zoë" },
    { "Σωκράτης", "σωκράτης" },
    { "...", NULL },
    { " ", NULL },
    { NULL, NULL },
  };

  check_cases (capi_normalize_name, cases, G_N_ELEMENTS (cases));
}

static void
test_normalize_gender (void)
{
  static const Case cases[] = {
    { "m", "m" }, { "M", "m" }, { " Male ", "m" }, { "MALE", "m" },
    { "f", "f" }, { "F", "f" }, { "female", "f" }, { "Female.", "f" },
    { "x", NULL }, { "unknown", NULL }, { "", NULL }, { NULL, NULL },
  };

  check_cases (capi_normalize_gender, cases, G_N_ELEMENTS (cases));
}

static void
test_normalize_city (void)
{
  static const Case cases[] = {
    { "San Francisco", "sanfrancisco" },
    { " St. Louis ", "stlouis" },
    { "Münster-Hiltrup", "münsterhiltrup" },
    { "New York City", "newyorkcity" },
    { "--", NULL },
    { NULL, NULL },
  };

  check_cases (capi_normalize_city, cases, G_N_ELEMENTS (cases));
}

static void
test_normalize_state (void)
{
  static const Case cases[] = {
    { "CA", "ca" },
    { "California", "ca" },
    { " new york ", "ny" },
    { "New-Jersey", "nj" },
    { "District of Columbia", "dc" },
    { "Ontario", "on" },
    { "Québec", "qc" },
    { "British Columbia", "bc" },
    { "Newfoundland and Labrador", "nl" },
    /* Unknown regions are folded like a city. */
    { "Bavaria", "bavaria" },
    { "Île-de-France", "îledefrance" },
    { "", NULL },
    { NULL, NULL },
  };

  check_cases (capi_normalize_state, cases, G_N_ELEMENTS (cases));
}

static void
test_normalize_zip (void)
{
  static const struct { const char *raw; const char *country; const char *expected; } cases[] = {
    { "94107", "US", "94107" },
    { "94107-1234", "us", "94107" },
    { "941071234", "USA", "94107" },
    /* Without a country only the ZIP+4 shape is taken as American. */
    { "94107-1234", NULL, "94107" },
    { "SW1A 1AA", "GB", "sw1a1aa" },
    { "SW1A 1AA", NULL, "sw1a1aa" },
    { "10115", "DE", "10115" },
    { "1234-567", "PT", "1234567" },
    { "K1A 0B1", "CA", "k1a0b1" },
    { " - ", NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = capi_normalize_zip (cases[i].raw, cases[i].country);

      g_test_message ("input “%s”", cases[i].raw);
      g_assert_cmpstr (out, ==, cases[i].expected);
    }

  g_assert_null (capi_normalize_zip (NULL, "US"));
}

static void
test_normalize_country (void)
{
  static const Case cases[] = {
    { "US", "us" }, { "us", "us" }, { " gb ", "gb" }, { "DEU", "de" }, { "usa", "us" },
    { "United States", "us" }, { "U.S.A.", "us" }, { "United Kingdom", "gb" },
    { "UK", "gb" }, { "Deutschland", "de" }, { "Österreich", "at" },
    { "ZZ", NULL }, { "Atlantis", NULL }, { "", NULL }, { NULL, NULL },
  };

  check_cases (capi_normalize_country, cases, G_N_ELEMENTS (cases));
}

static void
test_normalize_calling_codes (void)
{
  const char *all = "ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj "
                    "bl bm bn bo bq br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr "
                    "cu cv cw cx cy cz de dj dk dm do dz ec ee eg eh er es et fi fj fk fm fo fr "
                    "ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu "
                    "id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz "
                    "la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq "
                    "mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf "
                    "pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si "
                    "sj sk sl sm sn so sr ss st sv sx sy sz tc td tf tg th tj tk tl tm tn to tr "
                    "tt tv tw tz ua ug um us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw";
  g_auto(GStrv) codes = g_strsplit (all, " ", -1);

  /* Every officially assigned ISO 3166-1 alpha-2 code has a calling code. */
  g_assert_cmpuint (g_strv_length (codes), ==, 249);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      const char *code = capi_normalize_calling_code (codes[i]);

      g_test_message ("country %s", codes[i]);
      g_assert_nonnull (code);
      g_assert_cmpuint (strspn (code, "0123456789"), ==, strlen (code));
    }

  g_assert_cmpstr (capi_normalize_calling_code ("GB"), ==, "44");
  g_assert_cmpstr (capi_normalize_calling_code ("de"), ==, "49");
  g_assert_cmpstr (capi_normalize_calling_code ("US"), ==, "1");
  g_assert_cmpstr (capi_normalize_calling_code ("ru"), ==, "7");
  g_assert_cmpstr (capi_normalize_calling_code ("IE"), ==, "353");
  g_assert_null (capi_normalize_calling_code ("ZZ"));
  g_assert_null (capi_normalize_calling_code ("GBR"));
  g_assert_null (capi_normalize_calling_code (""));
  g_assert_null (capi_normalize_calling_code (NULL));
}

static void
test_normalize_date_of_birth (void)
{
  static const Case cases[] = {
    { "1990-05-17", "19900517" },
    { "1990/05/17", "19900517" },
    { "19900517", "19900517" },
    { "17.05.1990", "19900517" },
    { "1990-05-17T00:00:00Z", "19900517" },
    { "1990-5-7", "19900507" },
    { " 2000-02-29 ", "20000229" },
    /* Year last with slashes: only when the day gives the order away. */
    { "05/17/1990", "19900517" },
    { "17/05/1990", "19900517" },
    { "05/06/1990", NULL },
    { "1900-02-29", NULL },
    { "1990-02-30", NULL },
    { "1990-13-01", NULL },
    { "1990-00-10", NULL },
    { "1990-05", NULL },
    { "1990-05/17", NULL },
    { "17.05.90", NULL },
    { "yesterday", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  check_cases (capi_normalize_date_of_birth, cases, G_N_ELEMENTS (cases));
}

static void
test_normalize_external_id (void)
{
  static const Case cases[] = {
    { "  User-42 ", "user-42" },
    { "ABC_def", "abc_def" },
    { " ", NULL },
    { NULL, NULL },
  };

  check_cases (capi_normalize_external_id, cases, G_N_ELEMENTS (cases));
}

static void
test_normalize_madid (void)
{
  static const Case cases[] = {
    { "6D92078A-8246-4BA4-AE5B-76104861E7DC", "6d92078a-8246-4ba4-ae5b-76104861e7dc" },
    { " 38400000-8cf0-11bd-b23e-10b96e40000d ", "38400000-8cf0-11bd-b23e-10b96e40000d" },
    { "", NULL },
    { NULL, NULL },
  };

  check_cases (capi_normalize_madid, cases, G_N_ELEMENTS (cases));
}

static void
test_normalize_field_kind (void)
{
  const char * const *keys = capi_normalize_user_data_keys ();
  static const char *hashed[] = {
    "em", "ph", "fn", "ln", "ge", "ct", "st", "zp", "country", "db", "external_id",
  };
  static const char *plain[] = {
    "client_ip_address", "client_user_agent", "sc_click_id", "sc_cookie1", "madid", "idfv",
    "subscription_id", "lead_id", "anon_id", "download_id", "partner_id", "mobile_ad_id",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (hashed); i++)
    {
      g_assert_cmpint (capi_normalize_field_kind (hashed[i]), ==, CAPI_FIELD_HASHED);
      g_assert_true (g_strv_contains (keys, hashed[i]));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      g_assert_cmpint (capi_normalize_field_kind (plain[i]), ==, CAPI_FIELD_PLAIN);
      g_assert_true (g_strv_contains (keys, plain[i]));
    }

  g_assert_cmpuint (g_strv_length ((GStrv) keys), ==, G_N_ELEMENTS (hashed) + G_N_ELEMENTS (plain));
  g_assert_cmpint (capi_normalize_field_kind ("favourite_colour"), ==, CAPI_FIELD_UNKNOWN);
  g_assert_cmpint (capi_normalize_field_kind ("EM"), ==, CAPI_FIELD_UNKNOWN);
  g_assert_cmpint (capi_normalize_field_kind (NULL), ==, CAPI_FIELD_UNKNOWN);
}

static void
test_normalize_field_dispatch (void)
{
  static const struct { const char *key; const char *raw; const char *expected; } cases[] = {
    { "em", " A@B.C ", "a@b.c" },
    { "ph", "0151 1234 5678", "4915112345678" },
    { "fn", "Raphaël", "raphaël" },
    { "ln", "D'Arcy", "darcy" },
    { "ge", "Female", "f" },
    { "ct", "Los Angeles", "losangeles" },
    { "st", "Texas", "tx" },
    { "zp", "10115", "10115" },
    { "country", "Germany", "de" },
    { "db", "17.05.1990", "19900517" },
    { "external_id", " ID-7 ", "id-7" },
    { "madid", "ABCD-EF", "abcd-ef" },
    { "mobile_ad_id", "ABCD-EF", "abcd-ef" },
    { "client_user_agent", " Mozilla/5.0 (X11) ", "Mozilla/5.0 (X11)" },
    { "sc_cookie1", "AbC-123", "AbC-123" },
    { "custom_thing", " Keep Case ", "Keep Case" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* The default country is DE: it decides the phone and the zip. */
      g_autofree char *out = capi_normalize_field (cases[i].key, cases[i].raw, "DE");

      g_test_message ("key %s", cases[i].key);
      g_assert_cmpstr (out, ==, cases[i].expected);
    }

  g_assert_null (capi_normalize_field ("em", NULL, NULL));
}

static void
test_normalize_wire (void)
{
  static const struct {
    const char     *key;
    const char     *raw;
    const char     *sent;
    const char     *normalized;
    CapiValueState  state;
  } cases[] = {
    { "em", " Person@Example.com ",
      "542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345",
      "person@example.com", CAPI_VALUE_HASHED },
    { "fn", "Raphaël", "e74bb89e718fe1e19c422a48382870399f8bf7ca8dfa008739e75b0be76627b7",
      "raphaël", CAPI_VALUE_HASHED },
    { "ge", "Male", "62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a",
      "m", CAPI_VALUE_HASHED },
    { "ph", "+1 (650) 555-1212", "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176",
      "16505551212", CAPI_VALUE_HASHED },
    /* Already hashed: lowercased, never hashed again. */
    { "em", "542D240129883C019E106E3B1B2D3F3CB3537C43C425364DE8E951D5A3083345",
      "542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345", NULL,
      CAPI_VALUE_ALREADY_HASHED },
    { "ph", " dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383 ",
      "dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383", NULL,
      CAPI_VALUE_ALREADY_HASHED },
    /* Plain keys go as they are, even when they look like a hash. */
    { "client_ip_address", "203.0.113.7", "203.0.113.7", "203.0.113.7", CAPI_VALUE_SENT_AS_IS },
    { "client_user_agent", "Mozilla/5.0", "Mozilla/5.0", "Mozilla/5.0", CAPI_VALUE_SENT_AS_IS },
    { "sc_click_id", "ABC", "ABC", "ABC", CAPI_VALUE_SENT_AS_IS },
    { "partner_id", "AAAA", "AAAA", "AAAA", CAPI_VALUE_SENT_AS_IS },
    { "sc_cookie1", "542D240129883C019E106E3B1B2D3F3CB3537C43C425364DE8E951D5A3083345",
      "542D240129883C019E106E3B1B2D3F3CB3537C43C425364DE8E951D5A3083345",
      "542D240129883C019E106E3B1B2D3F3CB3537C43C425364DE8E951D5A3083345",
      CAPI_VALUE_SENT_AS_IS },
    { "madid", "6D92078A-8246", "6d92078a-8246", "6d92078a-8246", CAPI_VALUE_SENT_AS_IS },
    /* Nothing usable. */
    { "ge", "unknown", NULL, NULL, CAPI_VALUE_DROPPED },
    { "em", "   ", NULL, NULL, CAPI_VALUE_DROPPED },
    { "idfv", "", NULL, NULL, CAPI_VALUE_DROPPED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normalized = NULL;
      g_autofree char *sent = NULL;
      CapiValueState state = -1;

      g_test_message ("key %s", cases[i].key);
      sent = capi_normalize_value_for_wire (cases[i].key, cases[i].raw, NULL, &state, &normalized);
      g_assert_cmpstr (sent, ==, cases[i].sent);
      g_assert_cmpstr (normalized, ==, cases[i].normalized);
      g_assert_cmpint (state, ==, cases[i].state);
    }
}

static void
test_normalize_wire_default_country (void)
{
  g_autofree char *de = NULL;
  g_autofree char *normalized = NULL;
  CapiValueState state = CAPI_VALUE_DROPPED;

  de = capi_normalize_value_for_wire ("ph", "0151 1234 5678", "DE", &state, &normalized);
  g_assert_cmpstr (normalized, ==, "4915112345678");
  g_assert_cmpstr (de, ==, "8efb96404be52f6109b9db0f687274a81e9e3cc23fabd6f0da5d38baa3d2facd");
  g_assert_cmpint (state, ==, CAPI_VALUE_HASHED);

  /* The out parameters are optional. */
  g_free (capi_normalize_value_for_wire ("em", "a@b.c", NULL, NULL, NULL));
}

static void
test_normalize_invalid_utf8 (void)
{
  /* Bytes that are not UTF-8 are replaced, never passed through. */
  g_autofree char *email = capi_normalize_email ("A\xff@B.C");
  g_autofree char *name = capi_normalize_name ("Jo\xc3");

  g_assert_true (g_utf8_validate (email, -1, NULL));
  g_assert_true (g_str_has_prefix (email, "a"));
  g_assert_true (g_str_has_suffix (email, "@b.c"));
  g_assert_cmpstr (name, ==, "jo");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/capi/normalize/email", test_normalize_email);
  g_test_add_func ("/capi/normalize/phone/snap-example", test_normalize_phone_snap_example);
  g_test_add_func ("/capi/normalize/phone/international", test_normalize_phone_international);
  g_test_add_func ("/capi/normalize/phone/national", test_normalize_phone_national);
  g_test_add_func ("/capi/normalize/phone/no-default-country", test_normalize_phone_no_default_country);
  g_test_add_func ("/capi/normalize/name", test_normalize_name);
  g_test_add_func ("/capi/normalize/gender", test_normalize_gender);
  g_test_add_func ("/capi/normalize/city", test_normalize_city);
  g_test_add_func ("/capi/normalize/state", test_normalize_state);
  g_test_add_func ("/capi/normalize/zip", test_normalize_zip);
  g_test_add_func ("/capi/normalize/country", test_normalize_country);
  g_test_add_func ("/capi/normalize/calling-codes", test_normalize_calling_codes);
  g_test_add_func ("/capi/normalize/date-of-birth", test_normalize_date_of_birth);
  g_test_add_func ("/capi/normalize/external-id", test_normalize_external_id);
  g_test_add_func ("/capi/normalize/madid", test_normalize_madid);
  g_test_add_func ("/capi/normalize/field-kind", test_normalize_field_kind);
  g_test_add_func ("/capi/normalize/field-dispatch", test_normalize_field_dispatch);
  g_test_add_func ("/capi/normalize/wire", test_normalize_wire);
  g_test_add_func ("/capi/normalize/wire-default-country", test_normalize_wire_default_country);
  g_test_add_func ("/capi/normalize/invalid-utf8", test_normalize_invalid_utf8);

  return g_test_run ();
}
