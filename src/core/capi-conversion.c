/* capi-conversion.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "capi-conversion.h"

struct _CapiConversion
{
  GObject             parent_instance;

  CapiConversionSide  side;
  char               *pixel_id;
  char               *event_name;
  char               *dedup_id;
  char               *transaction_id;
  gint64              time;
  char               *source;
  guint               line;
  JsonObject         *extra;
};

G_DEFINE_FINAL_TYPE (CapiConversion, capi_conversion, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SIDE,
  PROP_PIXEL_ID,
  PROP_EVENT_NAME,
  PROP_DEDUP_ID,
  PROP_TRANSACTION_ID,
  PROP_TIME,
  PROP_SOURCE,
  PROP_LINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
capi_conversion_finalize (GObject *object)
{
  CapiConversion *self = (CapiConversion *)object;

  g_clear_pointer (&self->pixel_id, g_free);
  g_clear_pointer (&self->event_name, g_free);
  g_clear_pointer (&self->dedup_id, g_free);
  g_clear_pointer (&self->transaction_id, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (capi_conversion_parent_class)->finalize (object);
}

static void
capi_conversion_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CapiConversion *self = CAPI_CONVERSION (object);

  switch (prop_id)
    {
    case PROP_SIDE:
      g_value_set_int (value, self->side);
      break;

    case PROP_PIXEL_ID:
      g_value_set_string (value, self->pixel_id);
      break;

    case PROP_EVENT_NAME:
      g_value_set_string (value, self->event_name);
      break;

    case PROP_DEDUP_ID:
      g_value_set_string (value, self->dedup_id);
      break;

    case PROP_TRANSACTION_ID:
      g_value_set_string (value, self->transaction_id);
      break;

    case PROP_TIME:
      g_value_set_int64 (value, self->time);
      break;

    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;

    case PROP_LINE:
      g_value_set_uint (value, self->line);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_conversion_class_init (CapiConversionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capi_conversion_finalize;
  object_class->get_property = capi_conversion_get_property;

  properties[PROP_SIDE] =
    g_param_spec_int ("side", NULL, NULL,
                      CAPI_CONVERSION_SIDE_PIXEL, CAPI_CONVERSION_SIDE_CAPI,
                      CAPI_CONVERSION_SIDE_PIXEL,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PIXEL_ID] =
    g_param_spec_string ("pixel-id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_EVENT_NAME] =
    g_param_spec_string ("event-name", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_DEDUP_ID] =
    g_param_spec_string ("dedup-id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_TRANSACTION_ID] =
    g_param_spec_string ("transaction-id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, G_MININT64, G_MAXINT64,
                        CAPI_CONVERSION_TIME_UNKNOWN,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LINE] =
    g_param_spec_uint ("line", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capi_conversion_init (CapiConversion *self)
{
  self->time = CAPI_CONVERSION_TIME_UNKNOWN;
}

static char *
dup_nonempty (const char *s)
{
  return (s != NULL && *s != '\0') ? g_strdup (s) : NULL;
}

/**
 * capi_conversion_new:
 * @pixel_id: (nullable): the pixel, NULL when not known (CAPI side only)
 * @dedup_id: (nullable): client_dedup_id / event_id
 * @transaction_id: (nullable): transaction_id / order_id
 * @time: Unix seconds, or %CAPI_CONVERSION_TIME_UNKNOWN
 *
 * Returns: (transfer full): a new conversion.  Empty strings count as absent.
 */
CapiConversion *
capi_conversion_new (CapiConversionSide  side,
                     const char         *pixel_id,
                     const char         *event_name,
                     const char         *dedup_id,
                     const char         *transaction_id,
                     gint64              time)
{
  CapiConversion *self;

  g_return_val_if_fail (side == CAPI_CONVERSION_SIDE_PIXEL || side == CAPI_CONVERSION_SIDE_CAPI,
                        NULL);

  self = g_object_new (CAPI_TYPE_CONVERSION, NULL);
  self->side = side;
  self->pixel_id = dup_nonempty (pixel_id);
  self->event_name = g_strdup (event_name ? event_name : "");
  self->dedup_id = dup_nonempty (dedup_id);
  self->transaction_id = dup_nonempty (transaction_id);
  self->time = time;

  return self;
}

CapiConversionSide
capi_conversion_get_side (CapiConversion *self)
{
  g_return_val_if_fail (CAPI_IS_CONVERSION (self), CAPI_CONVERSION_SIDE_PIXEL);

  return self->side;
}

const char *
capi_conversion_get_pixel_id (CapiConversion *self)
{
  g_return_val_if_fail (CAPI_IS_CONVERSION (self), NULL);

  return self->pixel_id;
}

const char *
capi_conversion_get_event_name (CapiConversion *self)
{
  g_return_val_if_fail (CAPI_IS_CONVERSION (self), NULL);

  return self->event_name;
}

const char *
capi_conversion_get_dedup_id (CapiConversion *self)
{
  g_return_val_if_fail (CAPI_IS_CONVERSION (self), NULL);

  return self->dedup_id;
}

const char *
capi_conversion_get_transaction_id (CapiConversion *self)
{
  g_return_val_if_fail (CAPI_IS_CONVERSION (self), NULL);

  return self->transaction_id;
}

gint64
capi_conversion_get_time (CapiConversion *self)
{
  g_return_val_if_fail (CAPI_IS_CONVERSION (self), CAPI_CONVERSION_TIME_UNKNOWN);

  return self->time;
}

gboolean
capi_conversion_has_time (CapiConversion *self)
{
  g_return_val_if_fail (CAPI_IS_CONVERSION (self), FALSE);

  return self->time != CAPI_CONVERSION_TIME_UNKNOWN;
}

char *
capi_conversion_dup_time_string (CapiConversion *self)
{
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (CAPI_IS_CONVERSION (self), NULL);

  if (self->time == CAPI_CONVERSION_TIME_UNKNOWN)
    return NULL;
  dt = g_date_time_new_from_unix_utc (self->time);
  if (dt == NULL)
    return NULL;

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

const char *
capi_conversion_get_source (CapiConversion *self)
{
  g_return_val_if_fail (CAPI_IS_CONVERSION (self), NULL);

  return self->source;
}

guint
capi_conversion_get_line (CapiConversion *self)
{
  g_return_val_if_fail (CAPI_IS_CONVERSION (self), 0);

  return self->line;
}

void
capi_conversion_set_location (CapiConversion *self,
                              const char     *source,
                              guint           line)
{
  g_return_if_fail (CAPI_IS_CONVERSION (self));

  if (g_strcmp0 (self->source, source) != 0)
    {
      g_free (self->source);
      self->source = g_strdup (source);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
    }
  if (self->line != line)
    {
      self->line = line;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINE]);
    }
}

JsonObject *
capi_conversion_get_extra (CapiConversion *self)
{
  g_return_val_if_fail (CAPI_IS_CONVERSION (self), NULL);

  return self->extra;
}

void
capi_conversion_set_extra (CapiConversion *self,
                           JsonObject     *extra)
{
  g_return_if_fail (CAPI_IS_CONVERSION (self));

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}

const char *
capi_conversion_side_to_string (CapiConversionSide side)
{
  return side == CAPI_CONVERSION_SIDE_CAPI ? "capi" : "pixel";
}
