/* capi-normalize.c -- user_data normalization before hashing
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "capi-hash.h"
#include "capi-normalize.h"

typedef struct
{
  const char *alpha2;
  const char *alpha3;
  const char *calling_code;
} CountryInfo;

/* ISO 3166-1: alpha-2, alpha-3 and the ITU-T E.164 country calling code.
 * NANP members all share "1"; the area code is part of the national number. */
static const CountryInfo countries[] = {
  { "ad", "and", "376" }, { "ae", "are", "971" }, { "af", "afg", "93" },
  { "ag", "atg", "1" },   { "ai", "aia", "1" },   { "al", "alb", "355" },
  { "am", "arm", "374" }, { "ao", "ago", "244" }, { "aq", "ata", "672" },
  { "ar", "arg", "54" },  { "as", "asm", "1" },   { "at", "aut", "43" },
  { "au", "aus", "61" },  { "aw", "abw", "297" }, { "ax", "ala", "358" },
  { "az", "aze", "994" }, { "ba", "bih", "387" }, { "bb", "brb", "1" },
  { "bd", "bgd", "880" }, { "be", "bel", "32" },  { "bf", "bfa", "226" },
  { "bg", "bgr", "359" }, { "bh", "bhr", "973" }, { "bi", "bdi", "257" },
  { "bj", "ben", "229" }, { "bl", "blm", "590" }, { "bm", "bmu", "1" },
  { "bn", "brn", "673" }, { "bo", "bol", "591" }, { "bq", "bes", "599" },
  { "br", "bra", "55" },  { "bs", "bhs", "1" },   { "bt", "btn", "975" },
  { "bv", "bvt", "47" },  { "bw", "bwa", "267" }, { "by", "blr", "375" },
  { "bz", "blz", "501" }, { "ca", "can", "1" },   { "cc", "cck", "61" },
  { "cd", "cod", "243" }, { "cf", "caf", "236" }, { "cg", "cog", "242" },
  { "ch", "che", "41" },  { "ci", "civ", "225" }, { "ck", "cok", "682" },
  { "cl", "chl", "56" },  { "cm", "cmr", "237" }, { "cn", "chn", "86" },
  { "co", "col", "57" },  { "cr", "cri", "506" }, { "cu", "cub", "53" },
  { "cv", "cpv", "238" }, { "cw", "cuw", "599" }, { "cx", "cxr", "61" },
  { "cy", "cyp", "357" }, { "cz", "cze", "420" }, { "de", "deu", "49" },
  { "dj", "dji", "253" }, { "dk", "dnk", "45" },  { "dm", "dma", "1" },
  { "do", "dom", "1" },   { "dz", "dza", "213" }, { "ec", "ecu", "593" },
  { "ee", "est", "372" }, { "eg", "egy", "20" },  { "eh", "esh", "212" },
  { "er", "eri", "291" }, { "es", "esp", "34" },  { "et", "eth", "251" },
  { "fi", "fin", "358" }, { "fj", "fji", "679" }, { "fk", "flk", "500" },
  { "fm", "fsm", "691" }, { "fo", "fro", "298" }, { "fr", "fra", "33" },
  { "ga", "gab", "241" }, { "gb", "gbr", "44" },  { "gd", "grd", "1" },
  { "ge", "geo", "995" }, { "gf", "guf", "594" }, { "gg", "ggy", "44" },
  { "gh", "gha", "233" }, { "gi", "gib", "350" }, { "gl", "grl", "299" },
  { "gm", "gmb", "220" }, { "gn", "gin", "224" }, { "gp", "glp", "590" },
  { "gq", "gnq", "240" }, { "gr", "grc", "30" },  { "gs", "sgs", "500" },
  { "gt", "gtm", "502" }, { "gu", "gum", "1" },   { "gw", "gnb", "245" },
  { "gy", "guy", "592" }, { "hk", "hkg", "852" }, { "hm", "hmd", "672" },
  { "hn", "hnd", "504" }, { "hr", "hrv", "385" }, { "ht", "hti", "509" },
  { "hu", "hun", "36" },  { "id", "idn", "62" },  { "ie", "irl", "353" },
  { "il", "isr", "972" }, { "im", "imn", "44" },  { "in", "ind", "91" },
  { "io", "iot", "246" }, { "iq", "irq", "964" }, { "ir", "irn", "98" },
  { "is", "isl", "354" }, { "it", "ita", "39" },  { "je", "jey", "44" },
  { "jm", "jam", "1" },   { "jo", "jor", "962" }, { "jp", "jpn", "81" },
  { "ke", "ken", "254" }, { "kg", "kgz", "996" }, { "kh", "khm", "855" },
  { "ki", "kir", "686" }, { "km", "com", "269" }, { "kn", "kna", "1" },
  { "kp", "prk", "850" }, { "kr", "kor", "82" },  { "kw", "kwt", "965" },
  { "ky", "cym", "1" },   { "kz", "kaz", "7" },   { "la", "lao", "856" },
  { "lb", "lbn", "961" }, { "lc", "lca", "1" },   { "li", "lie", "423" },
  { "lk", "lka", "94" },  { "lr", "lbr", "231" }, { "ls", "lso", "266" },
  { "lt", "ltu", "370" }, { "lu", "lux", "352" }, { "lv", "lva", "371" },
  { "ly", "lby", "218" }, { "ma", "mar", "212" }, { "mc", "mco", "377" },
  { "md", "mda", "373" }, { "me", "mne", "382" }, { "mf", "maf", "590" },
  { "mg", "mdg", "261" }, { "mh", "mhl", "692" }, { "mk", "mkd", "389" },
  { "ml", "mli", "223" }, { "mm", "mmr", "95" },  { "mn", "mng", "976" },
  { "mo", "mac", "853" }, { "mp", "mnp", "1" },   { "mq", "mtq", "596" },
  { "mr", "mrt", "222" }, { "ms", "msr", "1" },   { "mt", "mlt", "356" },
  { "mu", "mus", "230" }, { "mv", "mdv", "960" }, { "mw", "mwi", "265" },
  { "mx", "mex", "52" },  { "my", "mys", "60" },  { "mz", "moz", "258" },
  { "na", "nam", "264" }, { "nc", "ncl", "687" }, { "ne", "ner", "227" },
  { "nf", "nfk", "672" }, { "ng", "nga", "234" }, { "ni", "nic", "505" },
  { "nl", "nld", "31" },  { "no", "nor", "47" },  { "np", "npl", "977" },
  { "nr", "nru", "674" }, { "nu", "niu", "683" }, { "nz", "nzl", "64" },
  { "om", "omn", "968" }, { "pa", "pan", "507" }, { "pe", "per", "51" },
  { "pf", "pyf", "689" }, { "pg", "png", "675" }, { "ph", "phl", "63" },
  { "pk", "pak", "92" },  { "pl", "pol", "48" },  { "pm", "spm", "508" },
  { "pn", "pcn", "64" },  { "pr", "pri", "1" },   { "ps", "pse", "970" },
  { "pt", "prt", "351" }, { "pw", "plw", "680" }, { "py", "pry", "595" },
  { "qa", "qat", "974" }, { "re", "reu", "262" }, { "ro", "rou", "40" },
  { "rs", "srb", "381" }, { "ru", "rus", "7" },   { "rw", "rwa", "250" },
  { "sa", "sau", "966" }, { "sb", "slb", "677" }, { "sc", "syc", "248" },
  { "sd", "sdn", "249" }, { "se", "swe", "46" },  { "sg", "sgp", "65" },
  { "sh", "shn", "290" }, { "si", "svn", "386" }, { "sj", "sjm", "47" },
  { "sk", "svk", "421" }, { "sl", "sle", "232" }, { "sm", "smr", "378" },
  { "sn", "sen", "221" }, { "so", "som", "252" }, { "sr", "sur", "597" },
  { "ss", "ssd", "211" }, { "st", "stp", "239" }, { "sv", "slv", "503" },
  { "sx", "sxm", "1" },   { "sy", "syr", "963" }, { "sz", "swz", "268" },
  { "tc", "tca", "1" },   { "td", "tcd", "235" }, { "tf", "atf", "262" },
  { "tg", "tgo", "228" }, { "th", "tha", "66" },  { "tj", "tjk", "992" },
  { "tk", "tkl", "690" }, { "tl", "tls", "670" }, { "tm", "tkm", "993" },
  { "tn", "tun", "216" }, { "to", "ton", "676" }, { "tr", "tur", "90" },
  { "tt", "tto", "1" },   { "tv", "tuv", "688" }, { "tw", "twn", "886" },
  { "tz", "tza", "255" }, { "ua", "ukr", "380" }, { "ug", "uga", "256" },
  { "um", "umi", "1" },   { "us", "usa", "1" },   { "uy", "ury", "598" },
  { "uz", "uzb", "998" }, { "va", "vat", "39" },  { "vc", "vct", "1" },
  { "ve", "ven", "58" },  { "vg", "vgb", "1" },   { "vi", "vir", "1" },
  { "vn", "vnm", "84" },  { "vu", "vut", "678" }, { "wf", "wlf", "681" },
  { "ws", "wsm", "685" }, { "ye", "yem", "967" }, { "yt", "myt", "262" },
  { "za", "zaf", "27" },  { "zm", "zmb", "260" }, { "zw", "zwe", "263" },
};

/* Names people type into a country field, already folded by fold_key(). */
static const struct { const char *name; const char *alpha2; } country_names[] = {
  { "unitedstates", "us" }, { "unitedstatesofamerica", "us" }, { "america", "us" },
  { "us", "us" }, { "usa", "us" },
  { "uk", "gb" }, { "unitedkingdom", "gb" }, { "greatbritain", "gb" }, { "england", "gb" },
  { "scotland", "gb" }, { "wales", "gb" }, { "northernireland", "gb" }, { "britain", "gb" },
  { "germany", "de" }, { "deutschland", "de" }, { "france", "fr" }, { "canada", "ca" },
  { "australia", "au" }, { "spain", "es" }, { "españa", "es" }, { "espana", "es" },
  { "italy", "it" }, { "italia", "it" }, { "netherlands", "nl" }, { "thenetherlands", "nl" },
  { "holland", "nl" }, { "nederland", "nl" }, { "mexico", "mx" }, { "méxico", "mx" },
  { "brazil", "br" }, { "brasil", "br" }, { "india", "in" }, { "japan", "jp" },
  { "china", "cn" }, { "switzerland", "ch" }, { "schweiz", "ch" }, { "suisse", "ch" },
  { "austria", "at" }, { "österreich", "at" }, { "ireland", "ie" }, { "sweden", "se" },
  { "norway", "no" }, { "denmark", "dk" }, { "finland", "fi" }, { "belgium", "be" },
  { "poland", "pl" }, { "polska", "pl" }, { "portugal", "pt" }, { "newzealand", "nz" },
  { "southafrica", "za" }, { "unitedarabemirates", "ae" }, { "uae", "ae" },
  { "saudiarabia", "sa" }, { "southkorea", "kr" }, { "korea", "kr" }, { "russia", "ru" },
  { "turkey", "tr" }, { "türkiye", "tr" }, { "turkiye", "tr" }, { "singapore", "sg" },
  { "argentina", "ar" }, { "chile", "cl" }, { "colombia", "co" }, { "egypt", "eg" },
  { "israel", "il" }, { "nigeria", "ng" }, { "kenya", "ke" }, { "philippines", "ph" },
  { "indonesia", "id" }, { "malaysia", "my" }, { "thailand", "th" }, { "vietnam", "vn" },
  { "greece", "gr" }, { "czechia", "cz" }, { "czechrepublic", "cz" }, { "ukraine", "ua" },
  { "romania", "ro" }, { "hungary", "hu" }, { "qatar", "qa" }, { "kuwait", "kw" },
};

/* US states, DC and territories, and Canadian provinces and territories. */
static const struct { const char *name; const char *code; } states[] = {
  { "alabama", "al" }, { "alaska", "ak" }, { "arizona", "az" }, { "arkansas", "ar" },
  { "california", "ca" }, { "colorado", "co" }, { "connecticut", "ct" }, { "delaware", "de" },
  { "florida", "fl" }, { "georgia", "ga" }, { "hawaii", "hi" }, { "idaho", "id" },
  { "illinois", "il" }, { "indiana", "in" }, { "iowa", "ia" }, { "kansas", "ks" },
  { "kentucky", "ky" }, { "louisiana", "la" }, { "maine", "me" }, { "maryland", "md" },
  { "massachusetts", "ma" }, { "michigan", "mi" }, { "minnesota", "mn" },
  { "mississippi", "ms" }, { "missouri", "mo" }, { "montana", "mt" }, { "nebraska", "ne" },
  { "nevada", "nv" }, { "newhampshire", "nh" }, { "newjersey", "nj" }, { "newmexico", "nm" },
  { "newyork", "ny" }, { "northcarolina", "nc" }, { "northdakota", "nd" }, { "ohio", "oh" },
  { "oklahoma", "ok" }, { "oregon", "or" }, { "pennsylvania", "pa" }, { "rhodeisland", "ri" },
  { "southcarolina", "sc" }, { "southdakota", "sd" }, { "tennessee", "tn" }, { "texas", "tx" },
  { "utah", "ut" }, { "vermont", "vt" }, { "virginia", "va" }, { "washington", "wa" },
  { "westvirginia", "wv" }, { "wisconsin", "wi" }, { "wyoming", "wy" },
  { "districtofcolumbia", "dc" }, { "washingtondc", "dc" }, { "puertorico", "pr" },
  { "guam", "gu" }, { "usvirginislands", "vi" }, { "americansamoa", "as" },
  { "northernmarianaislands", "mp" },
  { "alberta", "ab" }, { "britishcolumbia", "bc" }, { "manitoba", "mb" },
  { "newbrunswick", "nb" }, { "newfoundlandandlabrador", "nl" }, { "newfoundland", "nl" },
  { "novascotia", "ns" }, { "ontario", "on" }, { "princeedwardisland", "pe" },
  { "quebec", "qc" }, { "québec", "qc" }, { "saskatchewan", "sk" },
  { "northwestterritories", "nt" }, { "nunavut", "nu" }, { "yukon", "yt" },
};

static const char * const hashed_keys[] = {
  "em", "ph", "fn", "ln", "ge", "ct", "st", "zp", "country", "db", "external_id", NULL
};

static const char * const plain_keys[] = {
  "client_ip_address", "client_user_agent", "sc_click_id", "sc_cookie1", "madid",
  "mobile_ad_id", "idfv", "subscription_id", "lead_id", "anon_id", "download_id",
  "partner_id", NULL
};

/* Both lists, for capi_normalize_user_data_keys(). */
static const char * const all_keys[] = {
  "em", "ph", "fn", "ln", "ge", "ct", "st", "zp", "country", "db", "external_id",
  "client_ip_address", "client_user_agent", "sc_click_id", "sc_cookie1", "madid",
  "mobile_ad_id", "idfv", "subscription_id", "lead_id", "anon_id", "download_id",
  "partner_id", NULL
};

/* A valid UTF-8 copy without leading or trailing (Unicode) white space, or
 * NULL when nothing is left. */
static char *
dup_trimmed (const char *raw)
{
  g_autofree char *valid = NULL;
  const char *start;
  const char *end;

  if (raw == NULL)
    return NULL;

  valid = g_utf8_make_valid (raw, -1);
  start = valid;
  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  if (end == start)
    return NULL;

  return g_strndup (start, end - start);
}

/* Trimmed, NFC-composed and lowercased, so that "Raphaël" typed with a
 * combining accent hashes like the precomposed one. */
static char *
dup_folded (const char *raw)
{
  g_autofree char *trimmed = dup_trimmed (raw);
  g_autofree char *composed = NULL;

  if (trimmed == NULL)
    return NULL;

  composed = g_utf8_normalize (trimmed, -1, G_NORMALIZE_NFC);
  if (composed == NULL)
    return NULL;

  return g_utf8_strdown (composed, -1);
}

/* Keeps letters, combining marks and digits; spaces too when keep_spaces
 * (collapsed to one, never at either end).  Punctuation and symbols go. */
static char *
filter_word_chars (const char *folded,
                   gboolean    keep_spaces)
{
  GString *out = g_string_new (NULL);
  gboolean pending_space = FALSE;

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalpha (c) || g_unichar_ismark (c) || g_unichar_isdigit (c))
        {
          if (pending_space && out->len > 0)
            g_string_append_c (out, ' ');
          pending_space = FALSE;
          g_string_append_unichar (out, c);
        }
      else if (keep_spaces && g_unichar_isspace (c))
        {
          pending_space = TRUE;
        }
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

/* Lowercase, no spaces, dots or other punctuation: the lookup form of a
 * country or state name. */
static char *
fold_key (const char *raw)
{
  g_autofree char *folded = dup_folded (raw);

  if (folded == NULL)
    return NULL;

  return filter_word_chars (folded, FALSE);
}

static const CountryInfo *
lookup_country (const char *folded)
{
  gsize len = strlen (folded);

  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    {
      if (len == 2 && strcmp (countries[i].alpha2, folded) == 0)
        return &countries[i];
      if (len == 3 && strcmp (countries[i].alpha3, folded) == 0)
        return &countries[i];
    }

  for (guint i = 0; i < G_N_ELEMENTS (country_names); i++)
    if (strcmp (country_names[i].name, folded) == 0)
      return lookup_country (country_names[i].alpha2);

  return NULL;
}

char *
capi_normalize_email (const char *raw)
{
  /* Snap hashes the trimmed, lower-cased address. */
  return dup_folded (raw);
}

/* Countries whose trunk 0 stays in the international number. */
static gboolean
keeps_trunk_zero (const char *alpha2)
{
  return g_strcmp0 (alpha2, "it") == 0 ||
         g_strcmp0 (alpha2, "sm") == 0 ||
         g_strcmp0 (alpha2, "va") == 0;
}

/**
 * capi_normalize_phone:
 *
 * Digits only, with the country calling code in front: "+44 844 412 4653"
 * gives "448444124653".  An international prefix ("+" or "00") means the
 * digits already carry their country code.  A national number with a
 * single leading 0 loses it and gets the calling code of @default_country;
 * without a default country such a number cannot be completed and NULL is
 * returned rather than guessing a country.  With a NANP default country
 * (US, CA, ...) a bare 10-digit number gets the leading 1.
 */
char *
capi_normalize_phone (const char *raw,
                      const char *default_country)
{
  g_autofree char *trimmed = dup_trimmed (raw);
  g_autoptr(GString) digits = NULL;
  g_autofree char *country = NULL;
  const CountryInfo *info = NULL;
  gboolean international;
  const char *p;

  if (trimmed == NULL)
    return NULL;

  international = trimmed[0] == '+';
  digits = g_string_new (NULL);
  p = trimmed;
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      int value = g_unichar_digit_value (c);

      /* "+44 (0)20 ..." writes the trunk 0 that is dialled only at home. */
      if (international && g_str_has_prefix (p, "(0)"))
        {
          p += 3;
          continue;
        }
      if (value >= 0)
        g_string_append_c (digits, '0' + value);
      p = g_utf8_next_char (p);
    }

  if (digits->len == 0)
    return NULL;

  if (international)
    return g_string_free (g_steal_pointer (&digits), FALSE);

  if (g_str_has_prefix (digits->str, "00"))
    {
      g_string_erase (digits, 0, 2);
      if (digits->len == 0)
        return NULL;
      return g_string_free (g_steal_pointer (&digits), FALSE);
    }

  if (default_country != NULL)
    {
      country = g_ascii_strdown (default_country, -1);
      info = lookup_country (country);
    }

  if (digits->str[0] == '0')
    {
      /* A national number: without a known country it stays unusable. */
      if (info == NULL)
        return NULL;
      if (!keeps_trunk_zero (info->alpha2))
        g_string_erase (digits, 0, 1);
      g_string_prepend (digits, info->calling_code);
    }
  else if (info != NULL && g_str_equal (info->calling_code, "1") && digits->len == 10)
    {
      /* North America dials no trunk 0: "650 555 1212" is national. */
      g_string_prepend (digits, "1");
    }

  return g_string_free (g_steal_pointer (&digits), FALSE);
}

char *
capi_normalize_name (const char *raw)
{
  g_autofree char *folded = dup_folded (raw);

  if (folded == NULL)
    return NULL;

  /* "O'Brien-Smith" -> "obriensmith"; "Raphaël" keeps its ë. */
  return filter_word_chars (folded, TRUE);
}

char *
capi_normalize_gender (const char *raw)
{
  g_autofree char *key = fold_key (raw);

  if (key == NULL)
    return NULL;

  if (g_str_equal (key, "m") || g_str_equal (key, "male") || g_str_equal (key, "man"))
    return g_strdup ("m");
  if (g_str_equal (key, "f") || g_str_equal (key, "female") || g_str_equal (key, "woman"))
    return g_strdup ("f");

  return NULL;
}

char *
capi_normalize_city (const char *raw)
{
  /* "San Francisco" -> "sanfrancisco". */
  return fold_key (raw);
}

char *
capi_normalize_state (const char *raw)
{
  g_autofree char *key = fold_key (raw);

  if (key == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    if (g_str_equal (states[i].name, key))
      return g_strdup (states[i].code);

  return g_steal_pointer (&key);
}

char *
capi_normalize_zip (const char *raw,
                    const char *country)
{
  g_autofree char *folded = dup_folded (raw);
  g_autofree char *alpha2 = NULL;
  GString *out;
  gboolean us;
  gsize n_digits = 0;

  if (folded == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '-' || g_unichar_isspace (c))
        continue;
      g_string_append_unichar (out, c);
      if (g_ascii_isdigit (c))
        n_digits++;
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  alpha2 = country ? capi_normalize_country (country) : NULL;
  if (alpha2 != NULL)
    us = g_str_equal (alpha2, "us");
  else
    /* Unknown country: only the unmistakable ZIP+4 shape counts as US. */
    us = country == NULL && n_digits == 9 && out->len == 9 && strchr (folded, '-') != NULL;

  /* US: the first five digits (ZIP+4 is not matched). */
  if (us && out->len >= 5 && n_digits == out->len)
    g_string_truncate (out, 5);

  return g_string_free (out, FALSE);
}

char *
capi_normalize_country (const char *raw)
{
  g_autofree char *key = fold_key (raw);
  const CountryInfo *info;

  if (key == NULL)
    return NULL;

  info = lookup_country (key);
  return info ? g_strdup (info->alpha2) : NULL;
}

/* Splits "1990-05-17" or "17.05.1990" into its three digit runs; sep
 * receives the separator, all three must use the same one. */
static gboolean
split_date (const char *s,
            guint       parts[3],
            guint       widths[3],
            char       *sep)
{
  guint n = 0;

  *sep = '\0';
  while (n < 3)
    {
      guint value = 0;
      guint width = 0;

      while (g_ascii_isdigit (*s) && width < 9)
        {
          value = value * 10 + (*s - '0');
          width++;
          s++;
        }
      if (width == 0)
        return FALSE;
      parts[n] = value;
      widths[n] = width;
      n++;

      if (n == 3)
        break;
      if (*s != '-' && *s != '/' && *s != '.')
        return FALSE;
      if (*sep != '\0' && *sep != *s)
        return FALSE;
      *sep = *s++;
    }

  /* Only an ISO 8601 date may go on, with its time of day. */
  return *s == '\0' || (widths[0] == 4 && *sep == '-' && (*s == 'T' || *s == ' '));
}

/**
 * capi_normalize_date_of_birth:
 *
 * YYYYMMDD from YYYY-MM-DD (also with an ISO 8601 time), YYYY/MM/DD,
 * YYYYMMDD, DD.MM.YYYY, and DD/MM/YYYY or MM/DD/YYYY when the day makes the
 * order unambiguous.  Impossible dates (Feb 30) give NULL.
 */
char *
capi_normalize_date_of_birth (const char *raw)
{
  g_autofree char *trimmed = dup_trimmed (raw);
  guint parts[3], widths[3];
  guint year = 0, month = 0, day = 0;
  char sep;

  if (trimmed == NULL)
    return NULL;

  if (strlen (trimmed) == 8 && strspn (trimmed, "0123456789") == 8)
    {
      year = (trimmed[0] - '0') * 1000 + (trimmed[1] - '0') * 100 +
             (trimmed[2] - '0') * 10 + (trimmed[3] - '0');
      month = (trimmed[4] - '0') * 10 + (trimmed[5] - '0');
      day = (trimmed[6] - '0') * 10 + (trimmed[7] - '0');
    }
  else if (split_date (trimmed, parts, widths, &sep))
    {
      if (widths[0] == 4 && widths[1] <= 2 && widths[2] <= 2 && sep != '.')
        {
          year = parts[0];
          month = parts[1];
          day = parts[2];
        }
      else if (widths[2] == 4 && widths[0] <= 2 && widths[1] <= 2 && sep == '.')
        {
          day = parts[0];
          month = parts[1];
          year = parts[2];
        }
      else if (widths[2] == 4 && widths[0] <= 2 && widths[1] <= 2)
        {
          /* Slashes or dashes with the year last: US or European order. */
          year = parts[2];
          if (parts[0] > 12 && parts[1] <= 12)
            {
              day = parts[0];
              month = parts[1];
            }
          else if (parts[1] > 12 && parts[0] <= 12)
            {
              month = parts[0];
              day = parts[1];
            }
          else if (parts[0] == parts[1])
            {
              day = month = parts[0];
            }
          else
            return NULL;
        }
      else
        return NULL;
    }
  else
    return NULL;

  if (year < 1800 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31)
    return NULL;
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return NULL;

  return g_strdup_printf ("%04u%02u%02u", year, month, day);
}

char *
capi_normalize_external_id (const char *raw)
{
  return dup_folded (raw);
}

char *
capi_normalize_madid (const char *raw)
{
  g_autofree char *trimmed = dup_trimmed (raw);

  if (trimmed == NULL)
    return NULL;

  /* IDFA/GAID are ASCII UUIDs: lowercase, hyphens kept. */
  return g_ascii_strdown (trimmed, -1);
}

const char *
capi_normalize_calling_code (const char *country)
{
  g_autofree char *folded = NULL;
  const CountryInfo *info;

  if (country == NULL || strlen (country) != 2)
    return NULL;

  folded = g_ascii_strdown (country, -1);
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    {
      info = &countries[i];
      if (g_str_equal (info->alpha2, folded))
        return info->calling_code;
    }

  return NULL;
}

CapiFieldKind
capi_normalize_field_kind (const char *user_data_key)
{
  if (user_data_key == NULL)
    return CAPI_FIELD_UNKNOWN;
  if (g_strv_contains (hashed_keys, user_data_key))
    return CAPI_FIELD_HASHED;
  if (g_strv_contains (plain_keys, user_data_key))
    return CAPI_FIELD_PLAIN;
  return CAPI_FIELD_UNKNOWN;
}

const char * const *
capi_normalize_user_data_keys (void)
{
  return all_keys;
}

char *
capi_normalize_field (const char *user_data_key,
                      const char *raw,
                      const char *default_country)
{
  g_return_val_if_fail (user_data_key != NULL, NULL);

  if (raw == NULL)
    return NULL;

  if (g_str_equal (user_data_key, "em"))
    return capi_normalize_email (raw);
  if (g_str_equal (user_data_key, "ph"))
    return capi_normalize_phone (raw, default_country);
  if (g_str_equal (user_data_key, "fn") || g_str_equal (user_data_key, "ln"))
    return capi_normalize_name (raw);
  if (g_str_equal (user_data_key, "ge"))
    return capi_normalize_gender (raw);
  if (g_str_equal (user_data_key, "ct"))
    return capi_normalize_city (raw);
  if (g_str_equal (user_data_key, "st"))
    return capi_normalize_state (raw);
  if (g_str_equal (user_data_key, "zp"))
    return capi_normalize_zip (raw, default_country);
  if (g_str_equal (user_data_key, "country"))
    return capi_normalize_country (raw);
  if (g_str_equal (user_data_key, "db"))
    return capi_normalize_date_of_birth (raw);
  if (g_str_equal (user_data_key, "external_id"))
    return capi_normalize_external_id (raw);
  if (g_str_equal (user_data_key, "madid") || g_str_equal (user_data_key, "mobile_ad_id"))
    return capi_normalize_madid (raw);

  /* Plain and unknown keys travel as given, less stray white space. */
  return dup_trimmed (raw);
}

char *
capi_normalize_value_for_wire (const char     *user_data_key,
                               const char     *raw,
                               const char     *default_country,
                               CapiValueState *out_state,
                               char          **out_normalized)
{
  g_autofree char *normalized = NULL;
  g_autofree char *trimmed = NULL;
  CapiValueState state;
  char *sent = NULL;

  g_return_val_if_fail (user_data_key != NULL, NULL);

  if (out_normalized != NULL)
    *out_normalized = NULL;

  if (capi_normalize_field_kind (user_data_key) == CAPI_FIELD_HASHED)
    {
      trimmed = dup_trimmed (raw);
      if (trimmed != NULL && capi_hash_is_sha256 (trimmed))
        {
          /* Hashing a hash would silently destroy matching. */
          sent = g_ascii_strdown (trimmed, -1);
          state = CAPI_VALUE_ALREADY_HASHED;
        }
      else
        {
          normalized = capi_normalize_field (user_data_key, raw, default_country);
          if (normalized != NULL)
            {
              sent = capi_hash_sha256 (normalized);
              state = CAPI_VALUE_HASHED;
            }
          else
            state = CAPI_VALUE_DROPPED;
        }
    }
  else
    {
      normalized = capi_normalize_field (user_data_key, raw, default_country);
      if (normalized != NULL)
        {
          sent = g_strdup (normalized);
          state = CAPI_VALUE_SENT_AS_IS;
        }
      else
        state = CAPI_VALUE_DROPPED;
    }

  if (out_state != NULL)
    *out_state = state;
  if (out_normalized != NULL)
    *out_normalized = g_steal_pointer (&normalized);

  return sent;
}
