/* capi-history.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capi-history.h"
#include "capi-json.h"

struct _CapiHistory
{
  GObject parent_instance;

  GFile     *file;
  GFile     *rotated;
  guint64    max_size;
  GPtrArray *items;      /* CapiExchange */
  GPtrArray *warnings;   /* char* */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CapiHistory, capi_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

G_DEFINE_QUARK (capi-history-error-quark, capi_history_error)

enum {
  PROP_0,
  PROP_MAX_SIZE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Appends from any thread (and so any CapiHistory on the same file in this
 * process) are serialised: rotation and the torn-line check must not
 * interleave. */
static GMutex append_lock;

static GType
capi_history_get_item_type (GListModel *model)
{
  return CAPI_TYPE_EXCHANGE;
}

static guint
capi_history_get_n_items (GListModel *model)
{
  return CAPI_HISTORY (model)->items->len;
}

static gpointer
capi_history_get_item (GListModel *model,
                       guint       position)
{
  CapiHistory *self = CAPI_HISTORY (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = capi_history_get_item_type;
  iface->get_n_items = capi_history_get_n_items;
  iface->get_item = capi_history_get_item;
}

static void
capi_history_finalize (GObject *object)
{
  CapiHistory *self = (CapiHistory *)object;

  g_clear_object (&self->file);
  g_clear_object (&self->rotated);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);

  G_OBJECT_CLASS (capi_history_parent_class)->finalize (object);
}

static void
capi_history_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CapiHistory *self = CAPI_HISTORY (object);

  switch (prop_id)
    {
    case PROP_MAX_SIZE:
      g_value_set_uint64 (value, self->max_size);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_history_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CapiHistory *self = CAPI_HISTORY (object);

  switch (prop_id)
    {
    case PROP_MAX_SIZE:
      capi_history_set_max_size (self, g_value_get_uint64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_history_class_init (CapiHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capi_history_finalize;
  object_class->get_property = capi_history_get_property;
  object_class->set_property = capi_history_set_property;

  properties[PROP_MAX_SIZE] =
    g_param_spec_uint64 ("max-size", NULL, NULL,
                         1024, G_MAXUINT64, CAPI_HISTORY_DEFAULT_MAX_SIZE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capi_history_init (CapiHistory *self)
{
  self->max_size = CAPI_HISTORY_DEFAULT_MAX_SIZE;
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
}

/**
 * capi_history_new:
 * @file: (nullable): the history file
 *
 * Returns: (transfer full): an empty history; call capi_history_load_async()
 */
CapiHistory *
capi_history_new (GFile *file)
{
  CapiHistory *self;
  g_autoptr(GFile) parent = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *rotated_name = NULL;

  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  self = g_object_new (CAPI_TYPE_HISTORY, NULL);
  if (file != NULL)
    self->file = g_object_ref (file);
  else
    self->file = g_file_new_build_filename (g_get_user_data_dir (), "capi-inspector",
                                            "history.jsonl", NULL);

  /* history.jsonl -> history.1.jsonl */
  parent = g_file_get_parent (self->file);
  basename = g_file_get_basename (self->file);
  if (g_str_has_suffix (basename, ".jsonl"))
    {
      basename[strlen (basename) - strlen (".jsonl")] = '\0';
      rotated_name = g_strdup_printf ("%s.1.jsonl", basename);
    }
  else
    rotated_name = g_strdup_printf ("%s.1", basename);
  self->rotated = g_file_get_child (parent, rotated_name);

  return self;
}

GFile *
capi_history_get_file (CapiHistory *self)
{
  g_return_val_if_fail (CAPI_IS_HISTORY (self), NULL);
  return self->file;
}

GFile *
capi_history_get_rotated_file (CapiHistory *self)
{
  g_return_val_if_fail (CAPI_IS_HISTORY (self), NULL);
  return self->rotated;
}

guint64
capi_history_get_max_size (CapiHistory *self)
{
  g_return_val_if_fail (CAPI_IS_HISTORY (self), 0);
  return self->max_size;
}

void
capi_history_set_max_size (CapiHistory *self,
                           guint64      max_size)
{
  g_return_if_fail (CAPI_IS_HISTORY (self));

  if (self->max_size == max_size)
    return;
  self->max_size = max_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_SIZE]);
}

GPtrArray *
capi_history_get_warnings (CapiHistory *self)
{
  g_return_val_if_fail (CAPI_IS_HISTORY (self), NULL);
  return self->warnings;
}

/* --- loading ------------------------------------------------------------ */

typedef struct
{
  GFile     *files[2];
  GPtrArray *items;
  GPtrArray *warnings;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->files[0]);
  g_clear_object (&data->files[1]);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_clear_pointer (&data->warnings, g_ptr_array_unref);
  g_free (data);
}

static gboolean
load_one (GFile         *file,
          GPtrArray     *items,
          GPtrArray     *warnings,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  const char *line;
  guint number = 0;

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  line = contents;
  while (line < contents + length)
    {
      const char *end = memchr (line, '\n', contents + length - line);
      gboolean torn = end == NULL;
      gsize size = torn ? (gsize)(contents + length - line) : (gsize)(end - line);
      g_autoptr(JsonParser) parser = NULL;
      g_autoptr(GError) line_error = NULL;
      g_autoptr(CapiExchange) exchange = NULL;

      number++;
      if (size > 0 && !(size == 1 && line[0] == '\r'))
        {
          parser = json_parser_new_immutable ();
          if (!g_utf8_validate_len (line, size, NULL))
            g_set_error_literal (&line_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 _("not UTF-8"));
          else if (capi_json_parser_load (parser, line, size, &line_error))
            exchange = capi_exchange_new_from_json (json_parser_get_root (parser), &line_error);

          if (exchange != NULL)
            g_ptr_array_add (items, g_steal_pointer (&exchange));
          else if (torn)
            g_ptr_array_add (warnings,
                             g_strdup_printf (_("%s:%u: the last line is incomplete (a write was interrupted); line skipped"),
                                              name, number));
          else
            g_ptr_array_add (warnings,
                             g_strdup_printf (_("%s:%u: %s; line skipped"),
                                              name, number, line_error->message));
        }
      line += size + 1;
    }

  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (data->files); i++)
    if (!load_one (data->files[i], data->items, data->warnings, cancellable, &error))
      {
        g_task_return_error (task, error);
        return;
      }
  g_task_return_boolean (task, TRUE);
}

void
capi_history_load_async (CapiHistory         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (CAPI_IS_HISTORY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capi_history_load_async);
  data = g_new0 (LoadData, 1);
  /* Older records first. */
  data->files[0] = g_object_ref (self->rotated);
  data->files[1] = g_object_ref (self->file);
  data->items = g_ptr_array_new_with_free_func (g_object_unref);
  data->warnings = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, data, (GDestroyNotify)load_data_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
capi_history_load_finish (CapiHistory   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  LoadData *data;
  guint removed;

  g_return_val_if_fail (CAPI_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  for (guint i = 0; i < data->warnings->len; i++)
    g_warning ("%s", (const char *)g_ptr_array_index (data->warnings, i));

  removed = self->items->len;
  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&data->items);
  data->items = g_ptr_array_new ();
  g_ptr_array_unref (self->warnings);
  self->warnings = g_steal_pointer (&data->warnings);
  data->warnings = g_ptr_array_new ();

  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
  if (removed != self->items->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  return TRUE;
}

static void
load_sync_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

gboolean
capi_history_load (CapiHistory   *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (CAPI_IS_HISTORY (self), FALSE);

  g_main_context_push_thread_default (context);
  capi_history_load_async (self, cancellable, load_sync_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return capi_history_load_finish (self, result, error);
}

/* --- appending ---------------------------------------------------------- */

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        size,
           GError     **error)
{
  while (size > 0)
    {
      gssize n = write (fd, data, size);

      if (n < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not write the history: %s"), g_strerror (saved));
          return FALSE;
        }
      data += n;
      size -= n;
    }
  return TRUE;
}

static int
open_for_append (const char  *path,
                 GError     **error)
{
  int fd = g_open (path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not open %s: %s"), path, g_strerror (saved));
    }
  return fd;
}

/* The durable part: one line, whole, on disk before we return TRUE. */
static gboolean
append_line (const char  *path,
             const char  *rotated_path,
             guint64      max_size,
             const char  *line,
             GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GString) record = g_string_new (NULL);
  struct stat st;
  int fd;
  gboolean ok;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  g_mutex_lock (&append_lock);

  fd = open_for_append (path, error);
  if (fd < 0)
    {
      g_mutex_unlock (&append_lock);
      return FALSE;
    }

  if (fstat (fd, &st) == 0 && st.st_size > 0 &&
      (guint64)st.st_size + strlen (line) + 2 > max_size)
    {
      /* Rotate: the full file becomes history.1.jsonl (replacing an older
       * one) and a fresh file starts.  rename() is atomic, so a reader sees
       * either the old or the new name, never half a file. */
      fsync (fd);
      close (fd);
      if (g_rename (path, rotated_path) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not rotate the history to %s: %s"), rotated_path, g_strerror (saved));
          g_mutex_unlock (&append_lock);
          return FALSE;
        }
      fd = open_for_append (path, error);
      if (fd < 0)
        {
          g_mutex_unlock (&append_lock);
          return FALSE;
        }
      st.st_size = 0;
    }

  /* A writer killed mid-line left no newline: start ours on a new line so
   * the torn line stays alone (and is skipped) and ours stays readable. */
  if (st.st_size > 0)
    {
      char last = '\n';

      if (pread (fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
        g_string_append_c (record, '\n');
    }
  g_string_append (record, line);
  g_string_append_c (record, '\n');

  ok = write_all (fd, record->str, record->len, error);
  /* A full disk (or a file size limit) can stop the write half-way: cut the
   * file back to what it held, so no torn record is left behind. */
  if (!ok && ftruncate (fd, st.st_size) != 0)
    g_debug ("History: could not cut a partial record off: %s", g_strerror (errno));
  if (ok && fsync (fd) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not flush the history to disk: %s"), g_strerror (saved));
      ok = FALSE;
    }
  close (fd);

  g_mutex_unlock (&append_lock);
  return ok;
}

typedef struct
{
  CapiExchange *exchange;
  char         *path;
  char         *rotated_path;
  char         *line;
  guint64       max_size;
} AppendData;

static void
append_data_free (AppendData *data)
{
  g_clear_object (&data->exchange);
  g_free (data->path);
  g_free (data->rotated_path);
  g_free (data->line);
  g_free (data);
}

static void
append_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AppendData *data = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!append_line (data->path, data->rotated_path, data->max_size, data->line, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The record, or NULL when it must not be written.  Exchanges are redacted
 * when built; this is the last look before the disk. */
static char *
safe_record (CapiExchange  *exchange,
             GError       **error)
{
  g_autofree char *line = capi_exchange_to_json_string (exchange);
  g_autofree char *redacted = capi_destination_redact_text (line, NULL);

  if (strcmp (line, redacted) != 0)
    {
      g_set_error_literal (error, CAPI_HISTORY_ERROR, CAPI_HISTORY_ERROR_UNSAFE,
                           _("The exchange still holds an access token; it was not written"));
      return NULL;
    }
  return g_steal_pointer (&line);
}

static AppendData *
append_data_new (CapiHistory   *self,
                 CapiExchange  *exchange,
                 GError       **error)
{
  g_autofree char *line = safe_record (exchange, error);
  AppendData *data;

  if (line == NULL)
    return NULL;
  data = g_new0 (AppendData, 1);
  data->exchange = g_object_ref (exchange);
  data->path = g_file_get_path (self->file);
  data->rotated_path = g_file_get_path (self->rotated);
  data->line = g_steal_pointer (&line);
  data->max_size = self->max_size;
  return data;
}

static void
add_item (CapiHistory  *self,
          CapiExchange *exchange)
{
  g_ptr_array_add (self->items, g_object_ref (exchange));
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

void
capi_history_append_async (CapiHistory         *self,
                           CapiExchange        *exchange,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  AppendData *data;

  g_return_if_fail (CAPI_IS_HISTORY (self));
  g_return_if_fail (CAPI_IS_EXCHANGE (exchange));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capi_history_append_async);
  data = append_data_new (self, exchange, &error);
  if (data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, data, (GDestroyNotify)append_data_free);
  g_task_run_in_thread (task, append_thread);
}

gboolean
capi_history_append_finish (CapiHistory   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  AppendData *data;

  g_return_val_if_fail (CAPI_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  add_item (self, data->exchange);
  return TRUE;
}

gboolean
capi_history_append (CapiHistory   *self,
                     CapiExchange  *exchange,
                     GCancellable  *cancellable,
                     GError       **error)
{
  AppendData *data;
  gboolean ok;

  g_return_val_if_fail (CAPI_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (CAPI_IS_EXCHANGE (exchange), FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  data = append_data_new (self, exchange, error);
  if (data == NULL)
    return FALSE;
  ok = append_line (data->path, data->rotated_path, data->max_size, data->line, error);
  append_data_free (data);
  if (ok)
    add_item (self, exchange);
  return ok;
}

/* --- clearing ----------------------------------------------------------- */

static void
clear_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GFile **files = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Taken so that no append (from this process) is half-way through a
   * rotation while the files go. */
  g_mutex_lock (&append_lock);
  for (guint i = 0; i < 2 && error == NULL; i++)
    {
      if (!g_file_delete (files[i], NULL, &error) &&
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_clear_error (&error);
    }
  g_mutex_unlock (&append_lock);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
clear_files_free (GFile **files)
{
  g_clear_object (&files[0]);
  g_clear_object (&files[1]);
  g_free (files);
}

void
capi_history_clear_async (CapiHistory         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GFile **files;

  g_return_if_fail (CAPI_IS_HISTORY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capi_history_clear_async);
  files = g_new0 (GFile *, 2);
  /* The rotated (older) file first: a failure half-way leaves the newest
   * records rather than a gap. */
  files[0] = g_object_ref (self->rotated);
  files[1] = g_object_ref (self->file);
  g_task_set_task_data (task, files, (GDestroyNotify)clear_files_free);
  g_task_run_in_thread (task, clear_thread);
}

gboolean
capi_history_clear_finish (CapiHistory   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  guint removed;

  g_return_val_if_fail (CAPI_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  removed = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  g_ptr_array_set_size (self->warnings, 0);
  if (removed > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  return TRUE;
}

/* --- queries ------------------------------------------------------------ */

static gboolean
matches (CapiExchange           *exchange,
         const CapiHistoryQuery *query)
{
  GDateTime *started = capi_exchange_get_started (exchange);

  if (query->since != NULL && g_date_time_compare (started, query->since) < 0)
    return FALSE;
  if (query->until != NULL && g_date_time_compare (started, query->until) >= 0)
    return FALSE;
  if (query->destination >= 0 && (int)capi_exchange_get_destination (exchange) != query->destination)
    return FALSE;
  if (query->status != 0 && capi_exchange_get_status (exchange) != query->status)
    return FALSE;
  if (query->outcome >= 0 && (int)capi_exchange_get_outcome (exchange) != query->outcome)
    return FALSE;
  if (query->event_name != NULL && !capi_exchange_has_event_name (exchange, query->event_name))
    return FALSE;
  if (query->event_id != NULL && !capi_exchange_has_event_id (exchange, query->event_id))
    return FALSE;
  return TRUE;
}

GPtrArray *
capi_history_query (CapiHistory            *self,
                    const CapiHistoryQuery *query)
{
  GPtrArray *result;

  g_return_val_if_fail (CAPI_IS_HISTORY (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  result = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->items->len; i++)
    {
      CapiExchange *exchange = g_ptr_array_index (self->items, i);

      if (matches (exchange, query))
        g_ptr_array_add (result, g_object_ref (exchange));
    }
  return result;
}
