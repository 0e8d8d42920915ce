/* capi-client.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "capi-client.h"

struct _CapiClient
{
  GObject parent_instance;

  SoupSession *session;
  guint        retry_delay_ms;
  guint        max_retry_delay_ms;
  guint        concurrency;
};

G_DEFINE_FINAL_TYPE (CapiClient, capi_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (capi-client-error-quark, capi_client_error)

enum {
  PROP_0,
  PROP_RETRY_DELAY_MS,
  PROP_MAX_RETRY_DELAY_MS,
  PROP_CONCURRENCY,
  N_PROPS
};

enum {
  EXCHANGE_FINISHED,
  PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Inactivity limit of the session's sockets: a safety net under the
 * per-request timers, which are the ones users set. */
#define SESSION_IO_TIMEOUT_S 120

/* State of one request across its attempts.  Everything is owned here; the
 * URL with the token lives only in @uri and is never copied elsewhere. */
typedef struct
{
  CapiClient          *client;           /* borrowed: the task's source object */
  CapiExchange        *exchange;
  CapiDestinationKind  kind;
  GUri                *uri;
  char                *token;            /* only to scrub it from what comes back */
  GBytes              *body;
  SoupMessageHeaders  *extra_headers;
  guint                max_attempts;
  guint                connect_timeout_ms;
  guint                total_timeout_ms;

  guint                attempt;
  gint64               started_us;
  SoupMessage         *msg;
  GCancellable        *attempt_cancellable;
  GCancellable        *task_cancellable;
  gulong               cancelled_id;
  guint                connect_timer;
  guint                total_timer;
  guint                retry_timer;
  gboolean             connect_timed_out;
  gboolean             timed_out;
  GByteArray          *received;         /* the response body read so far */
} SendData;

static void start_attempt (GTask *task);

static void
send_data_free (SendData *data)
{
  g_clear_handle_id (&data->connect_timer, g_source_remove);
  g_clear_handle_id (&data->total_timer, g_source_remove);
  g_clear_handle_id (&data->retry_timer, g_source_remove);
  if (data->task_cancellable != NULL && data->cancelled_id != 0)
    g_cancellable_disconnect (data->task_cancellable, data->cancelled_id);
  g_clear_object (&data->task_cancellable);
  g_clear_object (&data->attempt_cancellable);
  g_clear_object (&data->msg);
  g_clear_pointer (&data->received, g_byte_array_unref);
  g_clear_object (&data->exchange);
  g_clear_pointer (&data->uri, g_uri_unref);
  if (data->token != NULL)
    {
      memset (data->token, 0, strlen (data->token));
      g_free (data->token);
    }
  g_clear_pointer (&data->body, g_bytes_unref);
  g_clear_pointer (&data->extra_headers, soup_message_headers_unref);
  g_free (data);
}

static void
capi_client_dispose (GObject *object)
{
  CapiClient *self = (CapiClient *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (capi_client_parent_class)->dispose (object);
}

static void
capi_client_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CapiClient *self = CAPI_CLIENT (object);

  switch (prop_id)
    {
    case PROP_RETRY_DELAY_MS:
      g_value_set_uint (value, self->retry_delay_ms);
      break;

    case PROP_MAX_RETRY_DELAY_MS:
      g_value_set_uint (value, self->max_retry_delay_ms);
      break;

    case PROP_CONCURRENCY:
      g_value_set_uint (value, self->concurrency);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_client_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CapiClient *self = CAPI_CLIENT (object);

  switch (prop_id)
    {
    case PROP_RETRY_DELAY_MS:
      capi_client_set_retry_delay_ms (self, g_value_get_uint (value));
      break;

    case PROP_MAX_RETRY_DELAY_MS:
      capi_client_set_max_retry_delay_ms (self, g_value_get_uint (value));
      break;

    case PROP_CONCURRENCY:
      capi_client_set_concurrency (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_client_class_init (CapiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = capi_client_dispose;
  object_class->get_property = capi_client_get_property;
  object_class->set_property = capi_client_set_property;

  properties[PROP_RETRY_DELAY_MS] =
    g_param_spec_uint ("retry-delay-ms", NULL, NULL,
                       0, G_MAXUINT, CAPI_CLIENT_DEFAULT_RETRY_DELAY_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MAX_RETRY_DELAY_MS] =
    g_param_spec_uint ("max-retry-delay-ms", NULL, NULL,
                       0, G_MAXUINT, CAPI_CLIENT_DEFAULT_MAX_RETRY_DELAY_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CONCURRENCY] =
    g_param_spec_uint ("concurrency", NULL, NULL,
                       1, 64, CAPI_CLIENT_DEFAULT_CONCURRENCY,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CapiClient::exchange-finished:
   * @exchange: the exchange, complete
   *
   * Emitted once per request that was sent, whatever its outcome.
   */
  signals[EXCHANGE_FINISHED] =
    g_signal_new ("exchange-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CAPI_TYPE_EXCHANGE);

  /**
   * CapiClient::progress:
   * @events_done: events whose request has finished
   * @events_total: events in the bulk send
   *
   * Emitted by a bulk send after each request.
   */
  signals[PROGRESS] =
    g_signal_new ("progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
capi_client_init (CapiClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("capi-inspector/%s ", PACKAGE_VERSION);

  self->retry_delay_ms = CAPI_CLIENT_DEFAULT_RETRY_DELAY_MS;
  self->max_retry_delay_ms = CAPI_CLIENT_DEFAULT_MAX_RETRY_DELAY_MS;
  self->concurrency = CAPI_CLIENT_DEFAULT_CONCURRENCY;
  /* A trailing space makes libsoup append its own product token. */
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", SESSION_IO_TIMEOUT_S,
                                                 "max-conns", 64,
                                                 "max-conns-per-host", 16,
                                                 NULL);
}

CapiClient *
capi_client_new (void)
{
  return g_object_new (CAPI_TYPE_CLIENT, NULL);
}

guint
capi_client_get_retry_delay_ms (CapiClient *self)
{
  g_return_val_if_fail (CAPI_IS_CLIENT (self), 0);
  return self->retry_delay_ms;
}

void
capi_client_set_retry_delay_ms (CapiClient *self,
                                guint       delay_ms)
{
  g_return_if_fail (CAPI_IS_CLIENT (self));

  if (self->retry_delay_ms == delay_ms)
    return;
  self->retry_delay_ms = delay_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_DELAY_MS]);
}

guint
capi_client_get_max_retry_delay_ms (CapiClient *self)
{
  g_return_val_if_fail (CAPI_IS_CLIENT (self), 0);
  return self->max_retry_delay_ms;
}

void
capi_client_set_max_retry_delay_ms (CapiClient *self,
                                    guint       delay_ms)
{
  g_return_if_fail (CAPI_IS_CLIENT (self));

  if (self->max_retry_delay_ms == delay_ms)
    return;
  self->max_retry_delay_ms = delay_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RETRY_DELAY_MS]);
}

guint
capi_client_get_concurrency (CapiClient *self)
{
  g_return_val_if_fail (CAPI_IS_CLIENT (self), 0);
  return self->concurrency;
}

void
capi_client_set_concurrency (CapiClient *self,
                             guint       concurrency)
{
  g_return_if_fail (CAPI_IS_CLIENT (self));
  g_return_if_fail (concurrency >= 1 && concurrency <= 64);

  if (self->concurrency == concurrency)
    return;
  self->concurrency = concurrency;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONCURRENCY]);
}

gboolean
capi_client_parse_retry_after (const char *value,
                               GDateTime  *now,
                               guint64    *out_ms)
{
  g_autoptr(GDateTime) date = NULL;
  guint64 seconds;
  char *end = NULL;

  g_return_val_if_fail (out_ms != NULL, FALSE);

  if (value == NULL)
    return FALSE;
  while (g_ascii_isspace (*value))
    value++;
  if (*value == '\0')
    return FALSE;

  /* Either delta-seconds ... */
  if (g_ascii_isdigit (*value))
    {
      seconds = g_ascii_strtoull (value, &end, 10);
      while (end != NULL && g_ascii_isspace (*end))
        end++;
      if (end != NULL && *end == '\0')
        {
          *out_ms = MIN (seconds, G_MAXUINT64 / 1000) * 1000;
          return TRUE;
        }
    }

  /* ... or an HTTP date (RFC 9110 §10.2.3). */
  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return FALSE;
  if (now == NULL)
    {
      g_autoptr(GDateTime) current = g_date_time_new_now_utc ();
      GTimeSpan span = g_date_time_difference (date, current);

      *out_ms = span > 0 ? (guint64)span / 1000 : 0;
    }
  else
    {
      GTimeSpan span = g_date_time_difference (date, now);

      *out_ms = span > 0 ? (guint64)span / 1000 : 0;
    }
  return TRUE;
}

/* --- one request ---------------------------------------------------------- */

static double
span_ms (guint64 from,
         guint64 to)
{
  if (from == 0 || to == 0 || to < from)
    return -1;
  return (double)(to - from) / 1000.0;
}

static void
record_timings (SendData *data)
{
  SoupMessageMetrics *metrics = data->msg != NULL ? soup_message_get_metrics (data->msg) : NULL;
  CapiTimings timings = { -1, -1, -1 };

  if (metrics != NULL)
    {
      guint64 dns_start = soup_message_metrics_get_dns_start (metrics);
      guint64 connect_start = soup_message_metrics_get_connect_start (metrics);
      guint64 connect_end = soup_message_metrics_get_connect_end (metrics);

      /* A reused connection has no DNS or connect phase. */
      timings.connect_ms = span_ms (dns_start != 0 ? dns_start : connect_start, connect_end);
      timings.ttfb_ms = span_ms (soup_message_metrics_get_request_start (metrics),
                                 soup_message_metrics_get_response_start (metrics));
    }
  timings.total_ms = (double)(g_get_monotonic_time () - data->started_us) / 1000.0;
  capi_exchange_set_timings (data->exchange, &timings);
}

static void
stop_timers (SendData *data)
{
  g_clear_handle_id (&data->connect_timer, g_source_remove);
  g_clear_handle_id (&data->total_timer, g_source_remove);
}

static gboolean
connect_timeout_cb (gpointer user_data)
{
  SendData *data = user_data;

  data->connect_timer = 0;
  data->connect_timed_out = TRUE;
  g_cancellable_cancel (data->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
total_timeout_cb (gpointer user_data)
{
  SendData *data = user_data;

  data->total_timer = 0;
  data->timed_out = TRUE;
  g_cancellable_cancel (data->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

/* Once the connection is up (or reused, seen as the request going out),
 * only the total timeout applies. */
static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  SendData           *data)
{
  if (event == G_SOCKET_CLIENT_CONNECTED && G_IS_SOCKET_CONNECTION (connection))
    {
      GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection));

      /* libsoup writes headers and body with separate send() calls; with
       * Nagle's algorithm on, the body of a request on a reused connection
       * waits for the server's delayed ACK. */
      g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
    }
  if (event == G_SOCKET_CLIENT_COMPLETE)
    g_clear_handle_id (&data->connect_timer, g_source_remove);
}

static void
wrote_headers_cb (SoupMessage *msg,
                  SendData    *data)
{
  g_clear_handle_id (&data->connect_timer, g_source_remove);
}

static void
task_cancelled_cb (GCancellable *cancellable,
                   SendData     *data)
{
  /* Runs inside g_cancellable_cancel(); only pass the word on.  A pending
   * retry wait notices through retry_cb's check (woken below). */
  if (data->attempt_cancellable != NULL)
    g_cancellable_cancel (data->attempt_cancellable);
}

static gboolean
is_connection_failure (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR)
    return TRUE;
  if (error->domain == G_IO_ERROR)
    switch (error->code)
      {
      case G_IO_ERROR_CONNECTION_REFUSED:
      case G_IO_ERROR_HOST_UNREACHABLE:
      case G_IO_ERROR_NETWORK_UNREACHABLE:
      case G_IO_ERROR_CONNECTION_CLOSED:
      case G_IO_ERROR_PARTIAL_INPUT:
      case G_IO_ERROR_TIMED_OUT:
        return TRUE;
      default:
        return FALSE;
      }
  /* libsoup reports a connection closed before any response this way. */
  if (error->domain == SOUP_SESSION_ERROR)
    return error->code == SOUP_SESSION_ERROR_PARSING ||
           error->code == SOUP_SESSION_ERROR_ENCODING;
  return FALSE;
}

static guint64
backoff_ms (CapiClient *client,
            guint       attempt)
{
  guint64 delay = (guint64)client->retry_delay_ms << MIN (attempt - 1, 16);

  /* Half fixed, half random ("equal jitter"): spreads clients that failed
   * together without ever retrying immediately. */
  if (delay < 2)
    return delay;
  return delay / 2 + (guint64)g_random_double_range (0, (double)(delay / 2));
}

static void
finish_send (GTask  *task,
             GError *error)
{
  SendData *data = g_task_get_task_data (task);

  if (error != NULL)
    capi_exchange_set_error (data->exchange, error);
  capi_exchange_set_attempts (data->exchange, data->attempt);
  record_timings (data);
  g_signal_emit (data->client, signals[EXCHANGE_FINISHED], 0, data->exchange);
  g_task_return_pointer (task, g_object_ref (data->exchange), g_object_unref);
}

static gboolean
retry_cb (gpointer user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);

  data->retry_timer = 0;
  start_attempt (task);
  return G_SOURCE_REMOVE;
}

static GBytes *
scrub_body (GBytes     *body,
            const char *token)
{
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  g_autofree char *text = NULL;
  char *redacted;

  /* A server that echoes the URL back must not smuggle the token into
   * history. */
  if (data == NULL || token == NULL || *token == '\0' || memchr (data, '\0', size) != NULL ||
      g_strstr_len (data, size, token) == NULL)
    return body != NULL ? g_bytes_ref (body) : NULL;

  text = g_strndup (data, size);
  redacted = capi_destination_redact_text (text, token);
  return g_bytes_new_take (redacted, strlen (redacted));
}

/* What came back from one attempt: the body, or why there is none.
 * Takes over @task_owned, @bytes_in and @error_in. */
static void
response_cb (GTask  *task_owned,
             GBytes *bytes_in,
             GError *error_in)
{
  g_autoptr(GTask) task = task_owned;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = error_in;
  g_autoptr(GBytes) bytes = bytes_in;
  g_autoptr(GBytes) scrubbed = NULL;
  guint status;
  guint64 delay = 0;
  gboolean retry = FALSE;
  gboolean have_delay = FALSE;
  g_autofree char *why = NULL;

  stop_timers (data);

  if (g_task_return_error_if_cancelled (task))
    return;

  capi_exchange_set_request (data->exchange, soup_message_get_request_headers (data->msg),
                             data->body);

  if (error != NULL)
    {
      g_autofree char *message = NULL;

      if (data->connect_timed_out)
        {
          g_clear_error (&error);
          g_set_error (&error, CAPI_CLIENT_ERROR, CAPI_CLIENT_ERROR_CONNECT_TIMEOUT,
                       _("Could not connect within %.1f s"), data->connect_timeout_ms / 1000.0);
        }
      else if (data->timed_out)
        {
          g_clear_error (&error);
          g_set_error (&error, CAPI_CLIENT_ERROR, CAPI_CLIENT_ERROR_TIMEOUT,
                       _("No complete response within %.1f s"), data->total_timeout_ms / 1000.0);
        }

      /* libsoup error texts can carry the URL; keep only a redacted copy. */
      message = capi_destination_redact_text (error->message, data->token);
      g_free (error->message);
      error->message = g_steal_pointer (&message);

      retry = (data->connect_timed_out || is_connection_failure (error)) &&
              data->attempt < data->max_attempts;
      if (!retry && data->attempt > 1 && data->attempt >= data->max_attempts)
        {
          g_autoptr(GError) gave_up = NULL;

          gave_up = g_error_new (CAPI_CLIENT_ERROR, CAPI_CLIENT_ERROR_GAVE_UP,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "Gave up after %u attempt: %s",
                                              "Gave up after %u attempts: %s",
                                              data->attempt),
                                 data->attempt, error->message);
          g_clear_error (&error);
          error = g_steal_pointer (&gave_up);
        }
      if (!retry)
        {
          finish_send (task, error);
          return;
        }
    }
  else
    {
      status = soup_message_get_status (data->msg);
      scrubbed = scrub_body (bytes, data->token);
      capi_exchange_set_response (data->exchange, status,
                                  soup_message_get_reason_phrase (data->msg),
                                  soup_message_get_response_headers (data->msg),
                                  scrubbed);

      /* Only "try later" answers are retried; any other 4xx would fail the
       * same way again. */
      if (status == 429 || (status >= 500 && status <= 599))
        {
          const char *retry_after = soup_message_headers_get_one (soup_message_get_response_headers (data->msg),
                                                                  "Retry-After");

          have_delay = capi_client_parse_retry_after (retry_after, NULL, &delay);
          if (data->attempt >= data->max_attempts && data->max_attempts > 1)
            why = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Gave up after %u attempt: the server answered %u %s",
                                                "Gave up after %u attempts: the server answered %u %s",
                                                data->attempt),
                                   data->attempt, status,
                                   soup_message_get_reason_phrase (data->msg));
          else if (have_delay && delay > data->client->max_retry_delay_ms)
            why = g_strdup_printf (_("Not retrying: the server asked to wait %llu s, more than %u s"),
                                   (unsigned long long) (delay / 1000), data->client->max_retry_delay_ms / 1000);
          else if (data->attempt < data->max_attempts)
            retry = TRUE;

          if (why != NULL)
            {
              g_autoptr(GError) gave_up = g_error_new_literal (CAPI_CLIENT_ERROR,
                                                               CAPI_CLIENT_ERROR_GAVE_UP, why);

              finish_send (task, gave_up);
              return;
            }
        }

      if (!retry)
        {
          finish_send (task, NULL);
          return;
        }
    }

  if (!have_delay)
    delay = backoff_ms (data->client, data->attempt);
  g_debug ("Retrying %s in %" G_GUINT64_FORMAT " ms (attempt %u of %u)",
           capi_exchange_get_url (data->exchange), delay, data->attempt + 1, data->max_attempts);
  data->retry_timer = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint)MIN (delay, G_MAXUINT),
                                          retry_cb, g_object_ref (task), g_object_unref);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  GInputStream *stream = G_INPUT_STREAM (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  gsize size;

  chunk = g_input_stream_read_bytes_finish (stream, result, &error);
  if (chunk == NULL)
    {
      g_clear_pointer (&data->received, g_byte_array_unref);
      response_cb (g_steal_pointer (&task), NULL, g_steal_pointer (&error));
      return;
    }

  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      GBytes *body = g_byte_array_free_to_bytes (g_steal_pointer (&data->received));

      response_cb (g_steal_pointer (&task), body, NULL);
      return;
    }

  if (data->received->len + size > CAPI_CLIENT_MAX_RESPONSE_SIZE)
    {
      g_autofree char *limit = g_format_size (CAPI_CLIENT_MAX_RESPONSE_SIZE);

      /* Cancelling the attempt makes libsoup drop the connection instead
       * of reading the rest of the body when the stream is closed. */
      g_cancellable_cancel (data->attempt_cancellable);
      g_clear_pointer (&data->received, g_byte_array_unref);
      error = g_error_new (CAPI_CLIENT_ERROR, CAPI_CLIENT_ERROR_TOO_LARGE,
                           _("The response is larger than %s; stopped reading it"), limit);
      response_cb (g_steal_pointer (&task), NULL, g_steal_pointer (&error));
      return;
    }

  g_byte_array_append (data->received, g_bytes_get_data (chunk, NULL), size);
  g_input_stream_read_bytes_async (stream, 64 * 1024, G_PRIORITY_DEFAULT,
                                   data->attempt_cancellable, read_cb, g_steal_pointer (&task));
}

/* Headers are in: read the body in chunks, never more than the limit
 * (soup_session_send_and_read() would keep any amount). */
static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      response_cb (g_steal_pointer (&task), NULL, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&data->received, g_byte_array_unref);
  data->received = g_byte_array_new ();
  g_input_stream_read_bytes_async (stream, 64 * 1024, G_PRIORITY_DEFAULT,
                                   data->attempt_cancellable, read_cb, g_steal_pointer (&task));
}

static void
start_attempt (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  const char *method = capi_destination_kind_get_method (data->kind);

  if (g_task_return_error_if_cancelled (task))
    return;

  data->attempt++;
  data->connect_timed_out = FALSE;
  data->timed_out = FALSE;
  g_clear_object (&data->attempt_cancellable);
  data->attempt_cancellable = g_cancellable_new ();

  g_clear_object (&data->msg);
  data->msg = soup_message_new_from_uri (method, data->uri);
  /* IDEMPOTENT lets libsoup 3.2 reuse a kept-alive connection for a POST
   * (it opens a new one otherwise).  Sending again is what this client does
   * on a connection failure anyway, and Snap deduplicates by event_id. */
  soup_message_add_flags (data->msg, SOUP_MESSAGE_COLLECT_METRICS | SOUP_MESSAGE_IDEMPOTENT);
  {
    SoupMessageHeaders *headers = soup_message_get_request_headers (data->msg);
    SoupMessageHeadersIter iter;
    const char *name, *value;

    soup_message_headers_iter_init (&iter, data->extra_headers);
    while (soup_message_headers_iter_next (&iter, &name, &value))
      soup_message_headers_replace (headers, name, value);
  }
  if (data->body != NULL)
    soup_message_set_request_body_from_bytes (data->msg, "application/json", data->body);

  g_signal_connect (data->msg, "network-event", G_CALLBACK (network_event_cb), data);
  g_signal_connect (data->msg, "wrote-headers", G_CALLBACK (wrote_headers_cb), data);

  data->connect_timer = g_timeout_add (data->connect_timeout_ms, connect_timeout_cb, data);
  data->total_timer = g_timeout_add (data->total_timeout_ms, total_timeout_cb, data);

  soup_session_send_async (data->client->session, data->msg, G_PRIORITY_DEFAULT,
                           data->attempt_cancellable, send_cb, g_object_ref (task));
}

static void
cancelled_wakeup_cb (GCancellable *cancellable,
                     GTask        *task)
{
  SendData *data = g_task_get_task_data (task);

  task_cancelled_cb (cancellable, data);
  /* Waiting between attempts: stop waiting, start_attempt reports it. */
  if (data->retry_timer != 0)
    {
      g_source_remove (data->retry_timer);
      data->retry_timer = g_idle_add_full (G_PRIORITY_DEFAULT, retry_cb,
                                           g_object_ref (task), g_object_unref);
    }
}

static void
send_uri_async (CapiClient          *self,
                CapiDestinationKind  kind,
                CapiProfile         *profile,
                const char          *access_token,
                const CapiEnvelopeRequest *envelope,
                GBytes              *body,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  SendData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  data = g_new0 (SendData, 1);
  data->client = self;
  data->kind = kind;
  data->uri = capi_destination_build_uri (kind, profile, access_token, envelope, &error);
  g_task_set_task_data (task, data, (GDestroyNotify)send_data_free);
  if (data->uri == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  url = g_uri_to_string (data->uri);
  data->exchange = capi_exchange_new (kind, capi_profile_get_name (profile),
                                      capi_destination_kind_get_method (kind), url);
  data->token = g_strdup (access_token);
  data->body = capi_destination_kind_has_body (kind) && body != NULL ? g_bytes_ref (body) : NULL;
  data->extra_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  capi_destination_add_headers (kind, profile, envelope, data->extra_headers);
  data->max_attempts = capi_profile_get_max_attempts (profile);
  data->connect_timeout_ms = capi_profile_get_connect_timeout_ms (profile);
  data->total_timeout_ms = capi_profile_get_total_timeout_ms (profile);
  data->started_us = g_get_monotonic_time ();
  capi_exchange_set_request (data->exchange, data->extra_headers, data->body);

  if (cancellable != NULL)
    {
      data->task_cancellable = g_object_ref (cancellable);
      data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_wakeup_cb),
                                                  task, NULL);
    }

  start_attempt (task);
}

void
capi_client_send_async (CapiClient          *self,
                        CapiDestinationKind  kind,
                        CapiProfile         *profile,
                        const char          *access_token,
                        GBytes              *body,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (CAPI_IS_CLIENT (self));
  g_return_if_fail ((guint)kind < CAPI_DESTINATION_N_KINDS);
  g_return_if_fail (CAPI_IS_PROFILE (profile));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  send_uri_async (self, kind, profile, access_token, NULL, body, cancellable,
                  callback, user_data, capi_client_send_async);
}

CapiExchange *
capi_client_send_finish (CapiClient    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (CAPI_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
capi_client_refresh_envelope_async (CapiClient                *self,
                                    CapiProfile               *profile,
                                    const CapiEnvelopeRequest *request,
                                    GCancellable              *cancellable,
                                    GAsyncReadyCallback        callback,
                                    gpointer                   user_data)
{
  g_return_if_fail (CAPI_IS_CLIENT (self));
  g_return_if_fail (CAPI_IS_PROFILE (profile));
  g_return_if_fail (request != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  send_uri_async (self, CAPI_DESTINATION_ATS_ENVELOPE_REFRESH, profile, NULL, request, NULL,
                  cancellable, callback, user_data, capi_client_refresh_envelope_async);
}

CapiExchange *
capi_client_refresh_envelope_finish (CapiClient    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (CAPI_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- bulk ----------------------------------------------------------------- */

typedef struct
{
  CapiDestinationKind  kind;
  CapiProfile         *profile;       /* a copy */
  char                *token;
  GPtrArray           *batches;       /* GPtrArray of CapiEvent, one per request */
  char                *default_country;
  char                *integration;
  char                *test_event_code;
  gboolean             has_integration;
  GPtrArray           *results;       /* CapiExchange or NULL, by batch */
  guint                next;
  guint                in_flight;
  guint                done_events;
  guint                total_events;
  GError              *error;
} BulkData;

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
bulk_data_free (BulkData *data)
{
  g_clear_object (&data->profile);
  if (data->token != NULL)
    {
      memset (data->token, 0, strlen (data->token));
      g_free (data->token);
    }
  g_clear_pointer (&data->batches, g_ptr_array_unref);
  g_clear_pointer (&data->default_country, g_free);
  g_clear_pointer (&data->integration, g_free);
  g_clear_pointer (&data->test_event_code, g_free);
  g_clear_pointer (&data->results, g_ptr_array_unref);
  g_clear_error (&data->error);
  g_free (data);
}

/* The ATS adapter wants one user session per request (spec §3); the
 * session is known by the envelope or the _scid cookie. */
static char *
ats_session_key (CapiEvent *event)
{
  g_auto(GStrv) partner = capi_event_dup_strv (event, "user_data.partner_id");
  g_auto(GStrv) cookie = NULL;

  if (partner != NULL && partner[0] != NULL)
    return g_strjoinv ("\x1f", partner);
  cookie = capi_event_dup_strv (event, "user_data.sc_cookie1");
  if (cookie != NULL && cookie[0] != NULL)
    return g_strjoinv ("\x1f", cookie);
  return NULL;
}

static GPtrArray *
split_batches (CapiDestinationKind  kind,
               GPtrArray           *events,
               guint                batch_size)
{
  GPtrArray *batches = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);

  if (kind == CAPI_DESTINATION_ATS_SEND)
    {
      g_autoptr(GHashTable) by_session = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      for (guint i = 0; i < events->len; i++)
        {
          CapiEvent *event = g_ptr_array_index (events, i);
          g_autofree char *key = ats_session_key (event);
          GPtrArray *batch = key != NULL ? g_hash_table_lookup (by_session, key) : NULL;

          /* An event without a session key travels alone rather than
           * being mixed with another user's. */
          if (batch == NULL || batch->len >= batch_size)
            {
              batch = g_ptr_array_new_with_free_func (g_object_unref);
              g_ptr_array_add (batches, batch);
              if (key != NULL)
                g_hash_table_replace (by_session, g_steal_pointer (&key), batch);
            }
          g_ptr_array_add (batch, g_object_ref (event));
        }
      return batches;
    }

  for (guint i = 0; i < events->len; i += batch_size)
    {
      GPtrArray *batch = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint j = i; j < events->len && j < i + batch_size; j++)
        g_ptr_array_add (batch, g_object_ref (g_ptr_array_index (events, j)));
      g_ptr_array_add (batches, batch);
    }
  return batches;
}

static void bulk_launch (GTask *task);

/* One request of a bulk send in flight. */
typedef struct
{
  GTask *task;
  guint  index;
} BulkItem;

static void
bulk_send_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CapiClient *self = CAPI_CLIENT (object);
  BulkItem *item = user_data;
  g_autoptr(GTask) task = item->task;
  guint index = item->index;
  BulkData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(CapiExchange) exchange = NULL;

  g_free (item);

  exchange = capi_client_send_finish (self, result, &error);
  data->in_flight--;
  if (exchange == NULL)
    {
      if (data->error == NULL)
        data->error = g_steal_pointer (&error);
    }
  else
    {
      GPtrArray *batch = g_ptr_array_index (data->batches, index);

      g_ptr_array_index (data->results, index) = g_steal_pointer (&exchange);
      data->done_events += batch->len;
      g_signal_emit (self, signals[PROGRESS], 0, data->done_events, data->total_events);
    }

  bulk_launch (task);
}

static void
bulk_launch (GTask *task)
{
  CapiClient *self = g_task_get_source_object (task);
  BulkData *data = g_task_get_task_data (task);

  while (data->error == NULL && data->next < data->batches->len && data->in_flight < self->concurrency)
    {
      guint index = data->next++;
      GPtrArray *batch = g_ptr_array_index (data->batches, index);
      CapiPayloadOptions options = {
        .default_country = data->default_country,
        .integration = data->has_integration ? data->integration : NULL,
        .test_event_code = data->test_event_code,
      };
      g_autofree char *json = NULL;
      g_autoptr(GBytes) body = NULL;
      BulkItem *item;
      gsize length = 0;

      /* The same text `capi-inspector-cli preview` prints, compact. */
      json = capi_payload_build_string (capi_destination_kind_get_payload_kind (data->kind), batch,
                                        &options, FALSE);
      length = strlen (json);
      body = g_bytes_new_take (g_steal_pointer (&json), length);

      item = g_new0 (BulkItem, 1);
      item->task = g_object_ref (task);
      item->index = index;
      data->in_flight++;
      send_uri_async (self, data->kind, data->profile, data->token, NULL, body,
                      g_task_get_cancellable (task), bulk_send_cb, item,
                      capi_client_send_async);
    }

  if (data->in_flight > 0)
    return;

  if (data->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&data->error));
      return;
    }
  if (data->next >= data->batches->len)
    g_task_return_pointer (task, g_ptr_array_ref (data->results), (GDestroyNotify)g_ptr_array_unref);
}

void
capi_client_send_events_async (CapiClient               *self,
                               CapiDestinationKind       kind,
                               CapiProfile              *profile,
                               const char               *access_token,
                               GPtrArray                *events,
                               const CapiPayloadOptions *options,
                               guint                     batch_size,
                               GCancellable             *cancellable,
                               GAsyncReadyCallback       callback,
                               gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  BulkData *data;
  guint limit;

  g_return_if_fail (CAPI_IS_CLIENT (self));
  g_return_if_fail (capi_destination_kind_has_body (kind));
  g_return_if_fail (CAPI_IS_PROFILE (profile));
  g_return_if_fail (events != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, capi_client_send_events_async);

  if (events->len == 0)
    {
      g_task_return_new_error (task, CAPI_CLIENT_ERROR, CAPI_CLIENT_ERROR_NO_EVENTS,
                               _("There are no events to send"));
      return;
    }

  limit = capi_destination_kind_get_max_events (kind);
  if (batch_size == 0 || batch_size > limit)
    batch_size = limit;

  data = g_new0 (BulkData, 1);
  data->kind = kind;
  data->profile = capi_profile_copy (profile);
  data->token = g_strdup (access_token);
  data->batches = split_batches (kind, events, batch_size);
  if (options != NULL)
    {
      data->default_country = g_strdup (options->default_country);
      data->integration = g_strdup (options->integration);
      data->has_integration = options->integration != NULL;
      data->test_event_code = g_strdup (options->test_event_code);
    }
  else
    {
      data->default_country = g_strdup (capi_profile_get_default_country (profile));
      data->test_event_code = g_strdup (capi_profile_get_test_event_code (profile));
    }
  data->results = g_ptr_array_new_with_free_func (unref_if_set);
  g_ptr_array_set_size (data->results, data->batches->len);
  data->total_events = events->len;
  g_task_set_task_data (task, data, (GDestroyNotify)bulk_data_free);

  bulk_launch (task);
}

GPtrArray *
capi_client_send_events_finish (CapiClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (CAPI_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
