/* capi-dedup.c -- the pixel-vs-CAPI comparison engine
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A hash join over compact records (see capi-import-private.h).  The rules
 * are listed in capi-dedup.h; bench/dedup_reference.py implements the
 * same rules in plain Python and the benchmark checks that both agree.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "capi-dedup.h"
#include "capi-dedup-report-private.h"
#include "capi-import-private.h"

struct _CapiDedup
{
  GObject    parent_instance;

  gint64     window;
  gint64     purchase_window;
  char      *capi_pixel_id;
  GPtrArray *pixel_files;
  GPtrArray *capi_files;
  GPtrArray *optional_files;   /* of either side: skipped when missing or empty */
  double     progress;
};

G_DEFINE_FINAL_TYPE (CapiDedup, capi_dedup, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WINDOW,
  PROP_PURCHASE_WINDOW,
  PROP_CAPI_PIXEL_ID,
  PROP_PROGRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define UNKNOWN CAPI_CONVERSION_TIME_UNKNOWN

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static inline guint32
str_hash (const char *s)
{
  return _capi_import_hash (s);
}

static inline gboolean
str_eq (const char *a,
        const char *b)
{
  return a == b || (a != NULL && b != NULL && strcmp (a, b) == 0);
}

static inline gboolean
within (gint64 a,
        gint64 b,
        gint64 window)
{
  if (a == UNKNOWN || b == UNKNOWN)
    return TRUE;
  return (a > b ? a - b : b - a) <= window;
}

/* An unknown pixel (CAPI event naming none, snaptr without init) matches any. */
static inline gboolean
pixel_compatible (const CapiRecord *p,
                  const CapiRecord *c)
{
  return p->pixel_id == NULL || c->pixel_id == NULL || str_eq (p->pixel_id, c->pixel_id);
}

/* Sort key shared by every ordered step: unknown times first, then time,
 * then input order. */
static inline int
order_cmp (const CapiRecord *a,
           guint32           ai,
           const CapiRecord *b,
           guint32           bi)
{
  gboolean au = a->time == UNKNOWN, bu = b->time == UNKNOWN;

  if (au != bu)
    return au ? -1 : 1;
  if (!au && a->time != b->time)
    return a->time < b->time ? -1 : 1;
  return ai < bi ? -1 : (ai > bi);
}

typedef struct
{
  const CapiRecord *records;
} SortCtx;

static int
index_cmp (gconstpointer a,
           gconstpointer b,
           gpointer      data)
{
  const SortCtx *ctx = data;
  guint32 ia = *(const guint32 *)a, ib = *(const guint32 *)b;

  return order_cmp (&ctx->records[ia], ia, &ctx->records[ib], ib);
}

/* An open-addressing table of record indices.  Each slot holds the key's
 * hash next to the index, so a probe touches a record (and its string)
 * only when the hashes agree: the join is bound by cache misses. */
typedef struct
{
  guint64 *slots;
  guint32  mask;
} Table;

static void
table_init (Table *t,
            guint  n)
{
  guint size = 16;

  while (size < n * 2 + 1)
    size <<= 1;
  t->slots = g_new0 (guint64, size);
  t->mask = size - 1;
}

static void
table_clear (Table *t)
{
  g_clear_pointer (&t->slots, g_free);
}

typedef gboolean (*KeyEq) (const CapiRecord *a, const CapiRecord *b);

static gboolean
eq_pixel_id (const CapiRecord *a,
             const CapiRecord *b)
{
  return str_eq (a->dedup_id, b->dedup_id) && str_eq (a->pixel_id, b->pixel_id);
}

static gboolean
eq_id (const CapiRecord *a,
       const CapiRecord *b)
{
  return str_eq (a->dedup_id, b->dedup_id);
}

static gboolean
eq_transaction (const CapiRecord *a,
                const CapiRecord *b)
{
  return str_eq (a->transaction_id, b->transaction_id);
}

/* Returns the index of the first record with an equal key, inserting @i
 * when there is none (then it returns @i). */
static guint32
table_find_or_insert (Table            *t,
                      const CapiRecord *records,
                      guint32           i,
                      guint32           hash,
                      KeyEq             eq)
{
  guint32 pos = (hash * 2654435761u) & t->mask;

  for (;;)
    {
      guint64 slot = t->slots[pos];

      if (slot == 0)
        {
          t->slots[pos] = ((guint64)hash << 32) | (i + 1);
          return i;
        }
      if ((guint32)(slot >> 32) == hash && eq (&records[(guint32)slot - 1], &records[i]))
        return (guint32)slot - 1;
      pos = (pos + 1) & t->mask;
    }
}

/* Looks up a key held by @probe (from the other side's records). */
static gint64
table_lookup (Table            *t,
              const CapiRecord *records,
              const CapiRecord *probe,
              guint32           hash,
              KeyEq             eq)
{
  guint32 pos = (hash * 2654435761u) & t->mask;

  for (;;)
    {
      guint64 slot = t->slots[pos];

      if (slot == 0)
        return -1;
      if ((guint32)(slot >> 32) == hash && eq (&records[(guint32)slot - 1], probe))
        return (guint32)slot - 1;
      pos = (pos + 1) & t->mask;
    }
}

/* Per-side working state. */
typedef struct
{
  CapiRecordStore *store;
  const CapiRecord *rec;
  guint32          n;
  gint32          *primary;   /* index of the conversion a record folds into */
  guint8          *done;      /* has its row */
  guint8          *poisoned;  /* its id is reused */
} Side;

static void
side_init (Side            *s,
           CapiRecordStore *store)
{
  s->store = store;
  s->rec = (const CapiRecord *)store->records->data;
  s->n = store->records->len;
  s->primary = g_new (gint32, MAX (s->n, 1));
  s->done = g_new0 (guint8, MAX (s->n, 1));
  s->poisoned = g_new0 (guint8, MAX (s->n, 1));
}

static void
side_clear (Side *s)
{
  g_free (s->primary);
  g_free (s->done);
  g_free (s->poisoned);
}

static inline gboolean
is_free_primary (const Side *s,
                 guint32     i)
{
  return s->primary[i] == (gint32)i && !s->done[i] && !s->poisoned[i];
}

static void
add_row (GArray           *rows,
         CapiDedupSummary *sum,
         const Side       *px,
         const Side       *cp,
         CapiDedupClassification    klass,
         CapiDedupReason   reason,
         gint32            p,
         gint32            c,
         guint             counted)
{
  CapiDedupRowData row;

  row.klass = klass;
  row.reason = reason;
  row.counted = counted;
  row.pixel = p;
  row.capi = c;
  row.time_unknown = (p >= 0 && px->rec[p].time == UNKNOWN) || (c >= 0 && cp->rec[c].time == UNKNOWN);
  g_array_append_val (rows, row);

  sum->counted_by_snap += counted;
  sum->time_unknown += row.time_unknown;
  switch (klass)
    {
    case CAPI_DEDUP_CLASS_DEDUPLICATED: sum->deduplicated++; break;
    case CAPI_DEDUP_CLASS_PURCHASE_MATCHED: sum->purchase_matched++; break;
    case CAPI_DEDUP_CLASS_DOUBLE_COUNTED: sum->double_counted++; sum->reasons[reason]++; break;
    case CAPI_DEDUP_CLASS_ID_REUSED: sum->id_reused++; break;
    case CAPI_DEDUP_CLASS_PIXEL_ONLY: sum->pixel_only++; break;
    case CAPI_DEDUP_CLASS_CAPI_ONLY: sum->capi_only++; break;
    case CAPI_DEDUP_N_CLASSES:
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------ */
/* Step 1: fold re-sends, find reused ids                              */

static void
fold_side (Side       *s,
           gint64      window,
           GHashTable *reused,
           guint64    *duplicates)
{
  Table t;
  gint32 *next = g_new (gint32, MAX (s->n, 1));
  gint32 *tail = g_new (gint32, MAX (s->n, 1));
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) prims = g_array_new (FALSE, FALSE, sizeof (guint32));
  SortCtx ctx = { s->rec };

  table_init (&t, s->n);
  for (guint32 i = 0; i < s->n; i++)
    {
      const CapiRecord *r = &s->rec[i];
      guint32 head;

      s->primary[i] = i;
      next[i] = -1;
      tail[i] = i;
      if (r->dedup_id == NULL)
        continue;
      /* Ids are nearly unique, so the id alone spreads the keys. */
      head = table_find_or_insert (&t, s->rec, i, r->id_hash, eq_pixel_id);
      if (head != i)
        {
          next[tail[head]] = i;
          tail[head] = i;
          s->primary[i] = -1;   /* decided below */
        }
    }
  table_clear (&t);

  for (guint32 i = 0; i < s->n; i++)
    {
      if (s->primary[i] != (gint32)i || next[i] < 0)
        continue;

      g_array_set_size (members, 0);
      for (gint32 k = i; k >= 0; k = next[k])
        g_array_append_val (members, k);
      g_array_sort_with_data (members, index_cmp, &ctx);

      g_array_set_size (prims, 0);
      for (guint m = 0; m < members->len; m++)
        {
          guint32 k = g_array_index (members, guint32, m);
          const CapiRecord *r = &s->rec[k];
          gboolean folded = FALSE;

          for (guint q = 0; q < prims->len && !folded; q++)
            {
              guint32 pi = g_array_index (prims, guint32, q);
              const CapiRecord *pr = &s->rec[pi];

              if (str_eq (pr->event_name, r->event_name) &&
                  str_eq (pr->transaction_id, r->transaction_id) &&
                  within (pr->time, r->time, window))
                {
                  s->primary[k] = pi;
                  (*duplicates)++;
                  folded = TRUE;
                }
            }
          if (!folded)
            {
              s->primary[k] = k;
              g_array_append_val (prims, k);
            }
        }
      if (prims->len > 1)
        g_hash_table_add (reused, (gpointer)s->rec[i].dedup_id);
    }

  g_free (next);
  g_free (tail);
}

typedef struct
{
  Side       *side;
  gint64      window;
  GHashTable *reused;
  guint64     duplicates;
} FoldJob;

static gpointer
fold_job_run (gpointer data)
{
  FoldJob *job = data;

  fold_side (job->side, job->window, job->reused, &job->duplicates);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Step 1b: id-reused rows and what Snap keeps of them                 */

typedef struct
{
  guint8  side;   /* 0 pixel, 1 capi */
  guint32 index;
} Member;

typedef struct
{
  const Side *sides[2];
} ClusterCtx;

static int
member_cmp (gconstpointer a,
            gconstpointer b,
            gpointer      data)
{
  const ClusterCtx *ctx = data;
  const Member *ma = a, *mb = b;
  const CapiRecord *ra = &ctx->sides[ma->side]->rec[ma->index];
  const CapiRecord *rb = &ctx->sides[mb->side]->rec[mb->index];
  gboolean au = ra->time == UNKNOWN, bu = rb->time == UNKNOWN;

  if (au != bu)
    return au ? -1 : 1;
  if (!au && ra->time != rb->time)
    return ra->time < rb->time ? -1 : 1;
  if (ma->side != mb->side)
    return ma->side < mb->side ? -1 : 1;
  return ma->index < mb->index ? -1 : (ma->index > mb->index);
}

static void
reused_rows (Side             *px,
             Side             *cp,
             GHashTable       *reused,
             gint64            window,
             GArray           *rows,
             CapiDedupSummary *sum)
{
  g_autoptr(GHashTable) clusters = NULL;
  GHashTableIter iter;
  gpointer value;
  Side *sides[2] = { px, cp };
  ClusterCtx ctx = { { px, cp } };
  g_autofree guint64 *bits = NULL;
  const gsize n_bits = 1 << 14;   /* 64-bit words: one megabit */

  if (g_hash_table_size (reused) == 0)
    return;
  bits = g_new0 (guint64, n_bits);

  /* A bit per id hash rules out nearly every record without a lookup. */
  {
    GHashTableIter it;
    gpointer key;

    g_hash_table_iter_init (&it, reused);
    while (g_hash_table_iter_next (&it, &key, NULL))
      {
        guint32 h = _capi_import_hash (key);
        bits[(h >> 6) & (n_bits - 1)] |= G_GUINT64_CONSTANT (1) << (h & 63);
      }
  }

  clusters = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_array_unref);
  for (guint sd = 0; sd < 2; sd++)
    for (guint32 i = 0; i < sides[sd]->n; i++)
      {
        const CapiRecord *r = &sides[sd]->rec[i];
        GArray *cluster;
        Member m = { sd, i };
        guint32 h = r->id_hash;

        if (r->dedup_id == NULL ||
            !(bits[(h >> 6) & (n_bits - 1)] & (G_GUINT64_CONSTANT (1) << (h & 63))) ||
            !g_hash_table_contains (reused, r->dedup_id))
          continue;
        sides[sd]->poisoned[i] = TRUE;
        if (sides[sd]->primary[i] != (gint32)i)
          continue;
        cluster = g_hash_table_lookup (clusters, r->dedup_id);
        if (cluster == NULL)
          {
            cluster = g_array_new (FALSE, FALSE, sizeof (Member));
            g_hash_table_insert (clusters, (gpointer)r->dedup_id, cluster);
          }
        g_array_append_val (cluster, m);
      }

  g_hash_table_iter_init (&iter, clusters);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GArray *cluster = value;
      g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (Member));

      g_array_sort_with_data (cluster, member_cmp, &ctx);
      /* Snap keeps the first arrival of an (id, event) and drops what
       * follows within the window. */
      for (guint k = 0; k < cluster->len; k++)
        {
          Member *m = &g_array_index (cluster, Member, k);
          const CapiRecord *r = &sides[m->side]->rec[m->index];
          gboolean dropped = FALSE;

          for (guint q = 0; q < kept->len && !dropped; q++)
            {
              Member *km = &g_array_index (kept, Member, q);
              const CapiRecord *kr = &sides[km->side]->rec[km->index];

              dropped = str_eq (kr->event_name, r->event_name) && within (kr->time, r->time, window);
            }
          if (!dropped)
            g_array_append_val (kept, *m);
          add_row (rows, sum, px, cp, CAPI_DEDUP_CLASS_ID_REUSED, CAPI_DEDUP_REASON_NONE,
                   m->side == 0 ? (gint32)m->index : -1, m->side == 1 ? (gint32)m->index : -1,
                   dropped ? 0 : 1);
          sides[m->side]->done[m->index] = TRUE;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Step 2: the dedup-id join                                           */

static gboolean
is_purchase (const CapiRecord *r)
{
  return strcmp (r->event_name, "PURCHASE") == 0;
}

typedef struct
{
  Table      *table;
  const Side *px;
  const Side *cp;
  gint32     *heads;
  guint32     begin;
  guint32     end;
} LookupJob;

static gpointer
lookup_job_run (gpointer data)
{
  LookupJob *job = data;

  for (guint32 c = job->begin; c < job->end; c++)
    {
      const CapiRecord *cr = &job->cp->rec[c];

      job->heads[c] = cr->dedup_id != NULL && is_free_primary (job->cp, c)
                        ? (gint32)table_lookup (job->table, job->px->rec, cr, cr->id_hash, eq_id)
                        : -1;
    }
  return NULL;
}

static void
join_ids (Side             *px,
          Side             *cp,
          gint64            window,
          gint64            purchase_window,
          GArray           *rows,
          CapiDedupSummary *sum)
{
  Table t;
  g_autofree gint32 *heads = NULL;
  gint32 *next = g_new (gint32, MAX (px->n, 1));
  gint32 *tail = g_new (gint32, MAX (px->n, 1));

  table_init (&t, px->n);
  for (guint32 i = 0; i < px->n; i++)
    {
      guint32 head;

      next[i] = -1;
      tail[i] = i;
      if (px->rec[i].dedup_id == NULL || !is_free_primary (px, i))
        continue;
      head = table_find_or_insert (&t, px->rec, i, px->rec[i].id_hash, eq_id);
      if (head != i)
        {
          next[tail[head]] = i;
          tail[head] = i;
        }
    }

  /* The lookups are all cache misses and read only the table: do them on
   * two threads first, then pair in input order on one. */
  heads = g_new (gint32, MAX (cp->n, 1));
  {
    LookupJob jobs[2] = {
      { &t, px, cp, heads, 0, cp->n / 2 },
      { &t, px, cp, heads, cp->n / 2, cp->n },
    };
    GThread *thread = g_thread_new ("capi-dedup-join", lookup_job_run, &jobs[1]);

    lookup_job_run (&jobs[0]);
    g_thread_join (thread);
  }

  for (guint32 c = 0; c < cp->n; c++)
    {
      const CapiRecord *cr = &cp->rec[c];
      gint64 head;
      gint32 exact = -1, other = -1;

      if (cr->dedup_id == NULL || !is_free_primary (cp, c))
        continue;
      head = heads[c];
      for (gint32 k = (gint32)head; k >= 0; k = next[k])
        {
          if (px->done[k])
            continue;
          if (pixel_compatible (&px->rec[k], cr))
            {
              exact = k;
              break;
            }
          if (other < 0)
            other = k;
        }

      if (exact >= 0)
        {
          const CapiRecord *pr = &px->rec[exact];

          if (strcmp (pr->event_name, cr->event_name) == 0)
            {
              if (within (pr->time, cr->time, window))
                add_row (rows, sum, px, cp, CAPI_DEDUP_CLASS_DEDUPLICATED, CAPI_DEDUP_REASON_NONE,
                         exact, c, 1);
              else if (is_purchase (pr) && pr->transaction_id != NULL &&
                       str_eq (pr->transaction_id, cr->transaction_id) &&
                       within (pr->time, cr->time, purchase_window))
                add_row (rows, sum, px, cp, CAPI_DEDUP_CLASS_PURCHASE_MATCHED,
                         CAPI_DEDUP_REASON_NONE, exact, c, 1);
              else
                add_row (rows, sum, px, cp, CAPI_DEDUP_CLASS_DOUBLE_COUNTED,
                         CAPI_DEDUP_REASON_OUTSIDE_WINDOW, exact, c, 2);
            }
          else if (g_ascii_strcasecmp (pr->event_name, cr->event_name) == 0)
            add_row (rows, sum, px, cp, CAPI_DEDUP_CLASS_DOUBLE_COUNTED,
                     CAPI_DEDUP_REASON_CASE_MISMATCH, exact, c, 2);
          else
            add_row (rows, sum, px, cp, CAPI_DEDUP_CLASS_DOUBLE_COUNTED,
                     CAPI_DEDUP_REASON_EVENT_NAME_MISMATCH, exact, c, 2);
          px->done[exact] = cp->done[c] = TRUE;
        }
      else if (other >= 0)
        {
          add_row (rows, sum, px, cp, CAPI_DEDUP_CLASS_DOUBLE_COUNTED,
                   CAPI_DEDUP_REASON_PIXEL_MISMATCH, other, c, 2);
          px->done[other] = cp->done[c] = TRUE;
        }
    }

  table_clear (&t);
  g_free (next);
  g_free (tail);
}

/* ------------------------------------------------------------------ */
/* Step 3: PURCHASE by transaction id                                  */

static void
join_transactions (Side             *px,
                   Side             *cp,
                   gint64            purchase_window,
                   GArray           *rows,
                   CapiDedupSummary *sum)
{
  Table t;
  gint32 *next = g_new (gint32, MAX (px->n, 1));
  gint32 *tail = g_new (gint32, MAX (px->n, 1));

  table_init (&t, px->n);
  for (guint32 i = 0; i < px->n; i++)
    {
      guint32 head;

      next[i] = -1;
      tail[i] = i;
      if (px->rec[i].transaction_id == NULL || !is_free_primary (px, i) || !is_purchase (&px->rec[i]))
        continue;
      head = table_find_or_insert (&t, px->rec, i, str_hash (px->rec[i].transaction_id),
                                   eq_transaction);
      if (head != i)
        {
          next[tail[head]] = i;
          tail[head] = i;
        }
    }

  for (guint32 c = 0; c < cp->n; c++)
    {
      const CapiRecord *cr = &cp->rec[c];
      gint64 head;

      if (cr->transaction_id == NULL || !is_free_primary (cp, c) || !is_purchase (cr))
        continue;
      head = table_lookup (&t, px->rec, cr, str_hash (cr->transaction_id), eq_transaction);
      for (gint32 k = (gint32)head; k >= 0; k = next[k])
        if (!px->done[k] && pixel_compatible (&px->rec[k], cr) &&
            within (px->rec[k].time, cr->time, purchase_window))
          {
            add_row (rows, sum, px, cp, CAPI_DEDUP_CLASS_PURCHASE_MATCHED, CAPI_DEDUP_REASON_NONE,
                     k, c, 1);
            px->done[k] = cp->done[c] = TRUE;
            break;
          }
    }

  table_clear (&t);
  g_free (next);
  g_free (tail);
}

/* ------------------------------------------------------------------ */
/* Step 4: the same conversion without an id on one side               */

typedef struct
{
  GArray *with_id;     /* pixel records, sorted */
  GArray *without_id;
  GArray *capi;
  guint   lo_with;
  guint   lo_without;
} EventGroup;

static void
event_group_free (EventGroup *g)
{
  g_array_unref (g->with_id);
  g_array_unref (g->without_id);
  g_array_unref (g->capi);
  g_free (g);
}

/* The first pixel record in @list (sorted) that @c may pair with, or -1. */
static gint64
first_candidate (const Side       *px,
                 GArray           *list,
                 guint            *lo,
                 const CapiRecord *cr,
                 gint64            window)
{
  const guint32 *idx = (const guint32 *)list->data;

  /* What is paired or too old for this CAPI event is too old for every
   * later one too (they come in time order, unknown times first). */
  while (*lo < list->len)
    {
      const CapiRecord *pr = &px->rec[idx[*lo]];

      if (px->done[idx[*lo]] ||
          (cr->time != UNKNOWN && pr->time != UNKNOWN && pr->time < cr->time - window))
        (*lo)++;
      else
        break;
    }

  for (guint k = *lo; k < list->len; k++)
    {
      const CapiRecord *pr = &px->rec[idx[k]];

      if (px->done[idx[k]])
        continue;
      if (cr->time != UNKNOWN && pr->time != UNKNOWN)
        {
          if (pr->time < cr->time - window)
            continue;
          if (pr->time > cr->time + window)
            break;
        }
      /* Two different order ids are two different purchases. */
      if (pr->transaction_id != NULL && cr->transaction_id != NULL &&
          !str_eq (pr->transaction_id, cr->transaction_id))
        continue;
      if (pixel_compatible (pr, cr))
        return k;
    }
  return -1;
}

static void
join_missing_ids (Side             *px,
                  Side             *cp,
                  gint64            window,
                  GArray           *rows,
                  CapiDedupSummary *sum)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify)event_group_free);
  /* Event names are interned per reader, so a handful of pointers stand
   * for them all: look the pointer up before hashing the string. */
  g_autoptr(GHashTable) by_pointer = g_hash_table_new (g_direct_hash, g_direct_equal);
  GHashTableIter iter;
  gpointer value;

  for (guint sd = 0; sd < 2; sd++)
    {
      Side *s = sd == 0 ? px : cp;

      for (guint32 i = 0; i < s->n; i++)
        {
          EventGroup *g;

          if (!is_free_primary (s, i))
            continue;
          g = g_hash_table_lookup (by_pointer, s->rec[i].event_name);
          if (g == NULL)
            {
              g = g_hash_table_lookup (groups, s->rec[i].event_name);
              if (g != NULL)
                g_hash_table_insert (by_pointer, (gpointer)s->rec[i].event_name, g);
            }
          if (g == NULL)
            {
              g = g_new0 (EventGroup, 1);
              g->with_id = g_array_new (FALSE, FALSE, sizeof (guint32));
              g->without_id = g_array_new (FALSE, FALSE, sizeof (guint32));
              g->capi = g_array_new (FALSE, FALSE, sizeof (guint32));
              g_hash_table_insert (groups, (gpointer)s->rec[i].event_name, g);
              g_hash_table_insert (by_pointer, (gpointer)s->rec[i].event_name, g);
            }
          if (sd == 1)
            g_array_append_val (g->capi, i);
          else if (s->rec[i].dedup_id != NULL)
            g_array_append_val (g->with_id, i);
          else
            g_array_append_val (g->without_id, i);
        }
    }

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      EventGroup *g = value;
      SortCtx pctx = { px->rec }, cctx = { cp->rec };

      if (g->capi->len == 0 || (g->with_id->len == 0 && g->without_id->len == 0))
        continue;
      g_array_sort_with_data (g->with_id, index_cmp, &pctx);
      g_array_sort_with_data (g->without_id, index_cmp, &pctx);
      g_array_sort_with_data (g->capi, index_cmp, &cctx);

      for (guint k = 0; k < g->capi->len; k++)
        {
          guint32 c = g_array_index (g->capi, guint32, k);
          const CapiRecord *cr = &cp->rec[c];
          gint64 a = -1, b;
          gint32 p;

          /* A CAPI event with an id pairs only with a pixel event without one. */
          if (cr->dedup_id == NULL)
            a = first_candidate (px, g->with_id, &g->lo_with, cr, window);
          b = first_candidate (px, g->without_id, &g->lo_without, cr, window);
          if (a < 0 && b < 0)
            continue;
          if (a >= 0 && b >= 0)
            {
              guint32 pa = g_array_index (g->with_id, guint32, a);
              guint32 pb = g_array_index (g->without_id, guint32, b);

              p = order_cmp (&px->rec[pa], pa, &px->rec[pb], pb) < 0 ? (gint32)pa : (gint32)pb;
            }
          else if (a >= 0)
            p = g_array_index (g->with_id, guint32, a);
          else
            p = g_array_index (g->without_id, guint32, b);

          add_row (rows, sum, px, cp, CAPI_DEDUP_CLASS_DOUBLE_COUNTED,
                   cr->dedup_id == NULL ? CAPI_DEDUP_REASON_ID_MISSING_ON_CAPI
                                        : CAPI_DEDUP_REASON_ID_MISSING_ON_PIXEL,
                   p, c, 2);
          px->done[p] = cp->done[c] = TRUE;
        }
    }
}

static CapiDedupReport *
compare_stores (CapiRecordStore *pixel,
                CapiRecordStore *capi,
                gint64           window,
                gint64           purchase_window)
{
  Side px, cp;
  CapiDedupSummary sum = { 0 };
  g_autoptr(GHashTable) reused = g_hash_table_new (g_str_hash, g_str_equal);
  GArray *rows;
  guint64 capi_conversions = 0;

  side_init (&px, pixel);
  side_init (&cp, capi);
  sum.pixel_events = px.n;
  sum.capi_events = cp.n;
  rows = g_array_sized_new (FALSE, FALSE, sizeof (CapiDedupRowData), MAX (px.n, cp.n));

  /* The two sides fold independently: one on a worker thread. */
  {
    FoldJob job = { &cp, window, g_hash_table_new (g_str_hash, g_str_equal), 0 };
    GThread *thread = g_thread_new ("capi-dedup-fold", fold_job_run, &job);
    GHashTableIter it;
    gpointer key;

    fold_side (&px, window, reused, &sum.duplicates);
    g_thread_join (thread);
    g_hash_table_iter_init (&it, job.reused);
    while (g_hash_table_iter_next (&it, &key, NULL))
      g_hash_table_add (reused, key);
    g_hash_table_unref (job.reused);
    sum.duplicates += job.duplicates;
  }
  reused_rows (&px, &cp, reused, window, rows, &sum);
  join_ids (&px, &cp, window, purchase_window, rows, &sum);
  join_transactions (&px, &cp, purchase_window, rows, &sum);
  join_missing_ids (&px, &cp, window, rows, &sum);

  for (guint32 i = 0; i < px.n; i++)
    if (is_free_primary (&px, i))
      add_row (rows, &sum, &px, &cp, CAPI_DEDUP_CLASS_PIXEL_ONLY, CAPI_DEDUP_REASON_NONE, i, -1, 1);
  for (guint32 i = 0; i < cp.n; i++)
    if (is_free_primary (&cp, i))
      add_row (rows, &sum, &px, &cp, CAPI_DEDUP_CLASS_CAPI_ONLY, CAPI_DEDUP_REASON_NONE, -1, i, 1);

  capi_conversions = sum.deduplicated + sum.purchase_matched + sum.capi_only + sum.double_counted;
  sum.match_rate = capi_conversions > 0
                     ? (double)(sum.deduplicated + sum.purchase_matched) / (double)capi_conversions
                     : 0.0;

  side_clear (&px);
  side_clear (&cp);

  return _capi_dedup_report_new (pixel, capi, rows, &sum, window, purchase_window);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
capi_dedup_finalize (GObject *object)
{
  CapiDedup *self = (CapiDedup *)object;

  g_clear_pointer (&self->capi_pixel_id, g_free);
  g_clear_pointer (&self->pixel_files, g_ptr_array_unref);
  g_clear_pointer (&self->capi_files, g_ptr_array_unref);
  g_clear_pointer (&self->optional_files, g_ptr_array_unref);

  G_OBJECT_CLASS (capi_dedup_parent_class)->finalize (object);
}

static void
capi_dedup_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CapiDedup *self = CAPI_DEDUP (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      g_value_set_int64 (value, self->window);
      break;

    case PROP_PURCHASE_WINDOW:
      g_value_set_int64 (value, self->purchase_window);
      break;

    case PROP_CAPI_PIXEL_ID:
      g_value_set_string (value, self->capi_pixel_id);
      break;

    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_dedup_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CapiDedup *self = CAPI_DEDUP (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      capi_dedup_set_window (self, g_value_get_int64 (value));
      break;

    case PROP_PURCHASE_WINDOW:
      capi_dedup_set_purchase_window (self, g_value_get_int64 (value));
      break;

    case PROP_CAPI_PIXEL_ID:
      capi_dedup_set_capi_pixel_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_dedup_class_init (CapiDedupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capi_dedup_finalize;
  object_class->get_property = capi_dedup_get_property;
  object_class->set_property = capi_dedup_set_property;

  properties[PROP_WINDOW] =
    g_param_spec_int64 ("window", NULL, NULL, 0, G_MAXINT64 / 4, CAPI_DEDUP_DEFAULT_WINDOW,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PURCHASE_WINDOW] =
    g_param_spec_int64 ("purchase-window", NULL, NULL, 0, G_MAXINT64 / 4,
                        CAPI_DEDUP_DEFAULT_PURCHASE_WINDOW,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CAPI_PIXEL_ID] =
    g_param_spec_string ("capi-pixel-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capi_dedup_init (CapiDedup *self)
{
  self->window = CAPI_DEDUP_DEFAULT_WINDOW;
  self->purchase_window = CAPI_DEDUP_DEFAULT_PURCHASE_WINDOW;
  self->pixel_files = g_ptr_array_new_with_free_func (g_free);
  self->capi_files = g_ptr_array_new_with_free_func (g_free);
  self->optional_files = g_ptr_array_new_with_free_func (g_free);
}

CapiDedup *
capi_dedup_new (void)
{
  return g_object_new (CAPI_TYPE_DEDUP, NULL);
}

gint64
capi_dedup_get_window (CapiDedup *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP (self), 0);
  return self->window;
}

void
capi_dedup_set_window (CapiDedup *self,
                       gint64     seconds)
{
  g_return_if_fail (CAPI_IS_DEDUP (self));
  g_return_if_fail (seconds >= 0);

  if (self->window != seconds)
    {
      self->window = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW]);
    }
}

gint64
capi_dedup_get_purchase_window (CapiDedup *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP (self), 0);
  return self->purchase_window;
}

void
capi_dedup_set_purchase_window (CapiDedup *self,
                                gint64     seconds)
{
  g_return_if_fail (CAPI_IS_DEDUP (self));
  g_return_if_fail (seconds >= 0);

  if (self->purchase_window != seconds)
    {
      self->purchase_window = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PURCHASE_WINDOW]);
    }
}

const char *
capi_dedup_get_capi_pixel_id (CapiDedup *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP (self), NULL);
  return self->capi_pixel_id;
}

void
capi_dedup_set_capi_pixel_id (CapiDedup  *self,
                              const char *pixel_id)
{
  g_return_if_fail (CAPI_IS_DEDUP (self));

  if (pixel_id != NULL && *pixel_id == '\0')
    pixel_id = NULL;
  if (g_strcmp0 (self->capi_pixel_id, pixel_id) != 0)
    {
      g_free (self->capi_pixel_id);
      self->capi_pixel_id = g_strdup (pixel_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPI_PIXEL_ID]);
    }
}

double
capi_dedup_get_progress (CapiDedup *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP (self), 0.0);
  return self->progress;
}

void
capi_dedup_add_file (CapiDedup          *self,
                     CapiConversionSide  side,
                     const char         *filename)
{
  g_return_if_fail (CAPI_IS_DEDUP (self));
  g_return_if_fail (filename != NULL);

  g_ptr_array_add (side == CAPI_CONVERSION_SIDE_CAPI ? self->capi_files : self->pixel_files,
                   g_strdup (filename));
}

/* Like capi_dedup_add_file(), for a file that may not be there yet (the
 * history, whose rotated file only appears once it has grown): a run
 * skips it when it is missing or empty instead of failing. */
void
capi_dedup_add_optional_file (CapiDedup          *self,
                              CapiConversionSide  side,
                              const char         *filename)
{
  g_return_if_fail (CAPI_IS_DEDUP (self));
  g_return_if_fail (filename != NULL);

  capi_dedup_add_file (self, side, filename);
  g_ptr_array_add (self->optional_files, g_strdup (filename));
}

void
capi_dedup_clear_files (CapiDedup *self)
{
  g_return_if_fail (CAPI_IS_DEDUP (self));

  g_ptr_array_set_size (self->pixel_files, 0);
  g_ptr_array_set_size (self->capi_files, 0);
  g_ptr_array_set_size (self->optional_files, 0);
}

/* What a run needs, copied so the worker never reads the object. */
typedef struct
{
  GStrv        pixel_files;
  GStrv        capi_files;
  GStrv        optional_files;
  char        *capi_pixel_id;
  gint64       window;
  gint64       purchase_window;
  /* progress, written by workers, read on the main context */
  guint64      total_bytes;
  guint64      base_bytes;     /* bytes of files already finished */
  gint         last_permille;
  GMainContext *context;
  GWeakRef     self;
} RunData;

static void
run_data_free (RunData *data)
{
  g_strfreev (data->pixel_files);
  g_strfreev (data->capi_files);
  g_strfreev (data->optional_files);
  g_free (data->capi_pixel_id);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_weak_ref_clear (&data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunData, run_data_free)

static GStrv
strv_from_array (GPtrArray *array)
{
  GStrv v = g_new0 (char *, array->len + 1);

  for (guint i = 0; i < array->len; i++)
    v[i] = g_strdup (g_ptr_array_index (array, i));
  return v;
}

static RunData *
run_data_new (CapiDedup *self)
{
  RunData *data = g_new0 (RunData, 1);

  data->pixel_files = strv_from_array (self->pixel_files);
  data->capi_files = strv_from_array (self->capi_files);
  data->optional_files = strv_from_array (self->optional_files);
  data->capi_pixel_id = g_strdup (self->capi_pixel_id);
  data->window = self->window;
  data->purchase_window = self->purchase_window;
  data->last_permille = -1;
  g_weak_ref_init (&data->self, self);

  return data;
}

typedef struct
{
  GWeakRef self;
  double   value;
} ProgressUpdate;

static gboolean
progress_update_cb (gpointer user_data)
{
  ProgressUpdate *update = user_data;
  g_autoptr(CapiDedup) self = g_weak_ref_get (&update->self);

  if (self != NULL && self->progress != update->value)
    {
      self->progress = update->value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  return G_SOURCE_REMOVE;
}

static void
progress_update_free (gpointer user_data)
{
  ProgressUpdate *update = user_data;

  g_weak_ref_clear (&update->self);
  g_free (update);
}

static void
report_progress (RunData *data,
                 double   value)
{
  int permille = (int)(value * 1000);
  ProgressUpdate *update;
  g_autoptr(GObject) self = NULL;

  if (data->context == NULL || permille <= g_atomic_int_get (&data->last_permille))
    return;
  g_atomic_int_set (&data->last_permille, permille);
  self = g_weak_ref_get (&data->self);
  if (self == NULL)
    return;
  update = g_new0 (ProgressUpdate, 1);
  g_weak_ref_init (&update->self, self);
  update->value = value;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, progress_update_cb, update,
                              progress_update_free);
}

static void
import_progress_cb (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  RunData *data = user_data;

  if (data->total_bytes > 0)
    /* Reading is most of the work; the join takes the last tenth. */
    report_progress (data, 0.9 * (double)(data->base_bytes + done) / (double)data->total_bytes);
}

static CapiDedupReport *
run_sync (RunData       *data,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(CapiRecordStore) pixel = _capi_record_store_new (CAPI_CONVERSION_SIDE_PIXEL);
  g_autoptr(CapiRecordStore) capi = _capi_record_store_new (CAPI_CONVERSION_SIDE_CAPI);
  GStrv lists[2] = { data->pixel_files, data->capi_files };
  CapiRecordStore *stores[2] = { pixel, capi };
  CapiDedupReport *report;

  for (guint s = 0; s < 2; s++)
    for (guint i = 0; lists[s][i] != NULL; i++)
      {
        GStatBuf st;

        if (g_stat (lists[s][i], &st) == 0)
          data->total_bytes += st.st_size;
      }

  for (guint s = 0; s < 2; s++)
    for (guint i = 0; lists[s][i] != NULL; i++)
      {
        GStatBuf st;

        if (g_strv_contains ((const char * const *)data->optional_files, lists[s][i]) &&
            (g_stat (lists[s][i], &st) != 0 || st.st_size == 0))
          continue;
        if (!_capi_import_file_into (stores[s], lists[s][i], data->capi_pixel_id,
                                     import_progress_cb, data, NULL, cancellable, error))
          return NULL;
        if (g_stat (lists[s][i], &st) == 0)
          data->base_bytes += st.st_size;
      }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  report = compare_stores (g_steal_pointer (&pixel), g_steal_pointer (&capi), data->window,
                           data->purchase_window);
  report_progress (data, 1.0);

  return report;
}

CapiDedupReport *
capi_dedup_run (CapiDedup     *self,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(RunData) data = NULL;

  g_return_val_if_fail (CAPI_IS_DEDUP (self), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  data = run_data_new (self);
  return run_sync (data, cancellable, error);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  GError *error = NULL;
  CapiDedupReport *report = run_sync (data, cancellable, &error);

  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, g_object_unref);
}

void
capi_dedup_run_async (CapiDedup           *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (CAPI_IS_DEDUP (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = run_data_new (self);
  data->context = g_main_context_ref_thread_default ();
  if (self->progress != 0.0)
    {
      self->progress = 0.0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capi_dedup_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify)run_data_free);
  g_task_run_in_thread (task, run_thread);
}

CapiDedupReport *
capi_dedup_run_finish (CapiDedup     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (CAPI_IS_DEDUP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_add_conversion (CapiRecordStore *store,
                      CapiConversion  *conversion,
                      const char      *default_pixel,
                      guint32          index)
{
  CapiRecord rec = { 0 };
  const char *s;

#define PUT(str, constant) \
  ((s = (str)) != NULL && *s != '\0' \
     ? ((constant) ? g_string_chunk_insert_const (store->strings, s) \
                   : g_string_chunk_insert (store->strings, s)) \
     : NULL)

  rec.pixel_id = PUT (capi_conversion_get_pixel_id (conversion), TRUE);
  if (rec.pixel_id == NULL && default_pixel != NULL)
    rec.pixel_id = PUT (default_pixel, TRUE);
  rec.event_name = PUT (capi_conversion_get_event_name (conversion), TRUE);
  if (rec.event_name == NULL)
    rec.event_name = g_string_chunk_insert_const (store->strings, "");
  rec.dedup_id = PUT (capi_conversion_get_dedup_id (conversion), FALSE);
  rec.transaction_id = PUT (capi_conversion_get_transaction_id (conversion), FALSE);
  if (capi_conversion_get_extra (conversion) != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (),
                                                        capi_conversion_get_extra (conversion));
      g_autofree char *text = json_to_string (node, FALSE);

      rec.extra = PUT (text, FALSE);
    }
#undef PUT
  rec.id_hash = _capi_import_hash (rec.dedup_id);
  rec.time = capi_conversion_get_time (conversion);
  rec.line = capi_conversion_get_line (conversion) ? capi_conversion_get_line (conversion)
                                                   : index + 1;
  rec.source = store->sources->len;
  g_ptr_array_add (store->sources, g_strdup (capi_conversion_get_source (conversion)
                                               ? capi_conversion_get_source (conversion) : "-"));
  g_array_append_val (store->records, rec);
}

/**
 * capi_dedup_compare:
 *
 * Returns: (transfer full): the report for conversions already in memory,
 * with this object's windows.
 */
CapiDedupReport *
capi_dedup_compare (CapiDedup *self,
                    GPtrArray *pixel,
                    GPtrArray *capi)
{
  CapiRecordStore *ps, *cs;

  g_return_val_if_fail (CAPI_IS_DEDUP (self), NULL);
  g_return_val_if_fail (pixel != NULL && capi != NULL, NULL);

  ps = _capi_record_store_new (CAPI_CONVERSION_SIDE_PIXEL);
  cs = _capi_record_store_new (CAPI_CONVERSION_SIDE_CAPI);
  for (guint i = 0; i < pixel->len; i++)
    store_add_conversion (ps, g_ptr_array_index (pixel, i), NULL, i);
  for (guint i = 0; i < capi->len; i++)
    store_add_conversion (cs, g_ptr_array_index (capi, i), self->capi_pixel_id, i);

  return compare_stores (ps, cs, self->window, self->purchase_window);
}

gboolean
capi_dedup_parse_duration (const char *text,
                           gint64     *out_seconds)
{
  char *end = NULL;
  guint64 value;
  gint64 unit = 1;

  g_return_val_if_fail (out_seconds != NULL, FALSE);

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  value = g_ascii_strtoull (text, &end, 10);
  if (g_str_equal (end, "") || g_str_equal (end, "s"))
    unit = 1;
  else if (g_str_equal (end, "m") || g_str_equal (end, "min"))
    unit = 60;
  else if (g_str_equal (end, "h"))
    unit = 3600;
  else if (g_str_equal (end, "d"))
    unit = 86400;
  else
    return FALSE;
  if (value > (guint64)(G_MAXINT64 / 4) / (guint64)unit)
    return FALSE;

  *out_seconds = (gint64)value * unit;
  return TRUE;
}
