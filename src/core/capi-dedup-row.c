/* capi-dedup-row.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "capi-dedup-row.h"

struct _CapiDedupRow
{
  GObject          parent_instance;

  CapiDedupClassification   klass;
  CapiDedupReason  reason;
  CapiConversion  *pixel;
  CapiConversion  *capi;
  guint            counted;
};

G_DEFINE_FINAL_TYPE (CapiDedupRow, capi_dedup_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLASS,
  PROP_REASON,
  PROP_PIXEL,
  PROP_CAPI,
  PROP_COUNTED,
  PROP_EVENT_NAME,
  PROP_DEDUP_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const class_names[CAPI_DEDUP_N_CLASSES] = {
  "deduplicated",
  "purchase-matched-by-transaction-id",
  "double-counted",
  "id-reused",
  "pixel-only",
  "capi-only",
};

static const char *const reason_names[CAPI_DEDUP_N_REASONS] = {
  NULL,
  "id-missing-on-capi",
  "id-missing-on-pixel",
  "event-name-mismatch",
  "pixel-mismatch",
  "outside-window",
  "case-mismatch",
};

static void
capi_dedup_row_dispose (GObject *object)
{
  CapiDedupRow *self = (CapiDedupRow *)object;

  g_clear_object (&self->pixel);
  g_clear_object (&self->capi);

  G_OBJECT_CLASS (capi_dedup_row_parent_class)->dispose (object);
}

static void
capi_dedup_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CapiDedupRow *self = CAPI_DEDUP_ROW (object);

  switch (prop_id)
    {
    case PROP_CLASS:
      g_value_set_int (value, self->klass);
      break;

    case PROP_REASON:
      g_value_set_int (value, self->reason);
      break;

    case PROP_PIXEL:
      g_value_set_object (value, self->pixel);
      break;

    case PROP_CAPI:
      g_value_set_object (value, self->capi);
      break;

    case PROP_COUNTED:
      g_value_set_uint (value, self->counted);
      break;

    case PROP_EVENT_NAME:
      g_value_set_string (value, capi_dedup_row_get_event_name (self));
      break;

    case PROP_DEDUP_ID:
      g_value_set_string (value, capi_dedup_row_get_dedup_id (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_dedup_row_class_init (CapiDedupRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = capi_dedup_row_dispose;
  object_class->get_property = capi_dedup_row_get_property;

  properties[PROP_CLASS] =
    g_param_spec_int ("class", NULL, NULL, 0, CAPI_DEDUP_N_CLASSES - 1, 0,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_REASON] =
    g_param_spec_int ("reason", NULL, NULL, 0, CAPI_DEDUP_N_REASONS - 1, 0,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PIXEL] =
    g_param_spec_object ("pixel", NULL, NULL, CAPI_TYPE_CONVERSION,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_CAPI] =
    g_param_spec_object ("capi", NULL, NULL, CAPI_TYPE_CONVERSION,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_COUNTED] =
    g_param_spec_uint ("counted", NULL, NULL, 0, 2, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /* For GtkStringSorter / search filters in the GUI. */
  properties[PROP_EVENT_NAME] =
    g_param_spec_string ("event-name", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_DEDUP_ID] =
    g_param_spec_string ("dedup-id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capi_dedup_row_init (CapiDedupRow *self)
{
}

/**
 * capi_dedup_row_new:
 * @pixel: (nullable): the pixel side
 * @capi: (nullable): the CAPI side
 *
 * Returns: (transfer full): a row.
 */
CapiDedupRow *
capi_dedup_row_new (CapiDedupClassification   klass,
                    CapiDedupReason  reason,
                    CapiConversion  *pixel,
                    CapiConversion  *capi,
                    guint            counted)
{
  CapiDedupRow *self;

  g_return_val_if_fail (klass < CAPI_DEDUP_N_CLASSES, NULL);
  g_return_val_if_fail (reason < CAPI_DEDUP_N_REASONS, NULL);
  g_return_val_if_fail (pixel == NULL || CAPI_IS_CONVERSION (pixel), NULL);
  g_return_val_if_fail (capi == NULL || CAPI_IS_CONVERSION (capi), NULL);
  g_return_val_if_fail (pixel != NULL || capi != NULL, NULL);

  self = g_object_new (CAPI_TYPE_DEDUP_ROW, NULL);
  self->klass = klass;
  self->reason = reason;
  self->pixel = pixel ? g_object_ref (pixel) : NULL;
  self->capi = capi ? g_object_ref (capi) : NULL;
  self->counted = counted;

  return self;
}

CapiDedupClassification
capi_dedup_row_get_class (CapiDedupRow *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_ROW (self), 0);
  return self->klass;
}

CapiDedupReason
capi_dedup_row_get_reason (CapiDedupRow *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_ROW (self), 0);
  return self->reason;
}

CapiConversion *
capi_dedup_row_get_pixel (CapiDedupRow *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_ROW (self), NULL);
  return self->pixel;
}

CapiConversion *
capi_dedup_row_get_capi (CapiDedupRow *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_ROW (self), NULL);
  return self->capi;
}

guint
capi_dedup_row_get_counted (CapiDedupRow *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_ROW (self), 0);
  return self->counted;
}

typedef const char *(*StringGetter) (CapiConversion *);

static const char *
either (CapiDedupRow *self,
        StringGetter  get)
{
  const char *value = self->pixel ? get (self->pixel) : NULL;

  if ((value == NULL || *value == '\0') && self->capi != NULL)
    value = get (self->capi);
  return value;
}

const char *
capi_dedup_row_get_pixel_id (CapiDedupRow *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_ROW (self), NULL);
  return either (self, capi_conversion_get_pixel_id);
}

const char *
capi_dedup_row_get_event_name (CapiDedupRow *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_ROW (self), NULL);
  return either (self, capi_conversion_get_event_name);
}

const char *
capi_dedup_row_get_dedup_id (CapiDedupRow *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_ROW (self), NULL);
  return either (self, capi_conversion_get_dedup_id);
}

const char *
capi_dedup_row_get_transaction_id (CapiDedupRow *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_ROW (self), NULL);
  return either (self, capi_conversion_get_transaction_id);
}

gboolean
capi_dedup_row_get_delta (CapiDedupRow *self,
                          gint64       *out_seconds)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_ROW (self), FALSE);

  if (self->pixel == NULL || self->capi == NULL ||
      !capi_conversion_has_time (self->pixel) || !capi_conversion_has_time (self->capi))
    return FALSE;
  if (out_seconds != NULL)
    *out_seconds = capi_conversion_get_time (self->capi) - capi_conversion_get_time (self->pixel);
  return TRUE;
}

gboolean
capi_dedup_row_get_time_unknown (CapiDedupRow *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_ROW (self), FALSE);

  return (self->pixel != NULL && !capi_conversion_has_time (self->pixel)) ||
         (self->capi != NULL && !capi_conversion_has_time (self->capi));
}

char *
capi_dedup_row_dup_explanation (CapiDedupRow *self)
{
  g_return_val_if_fail (CAPI_IS_DEDUP_ROW (self), NULL);

  switch (self->klass)
    {
    case CAPI_DEDUP_CLASS_DEDUPLICATED:
      return g_strdup (_("Snap counts this conversion once: the pixel’s client_dedup_id and the server’s event_id match, for the same pixel and event, within the window."));
    case CAPI_DEDUP_CLASS_PURCHASE_MATCHED:
      return g_strdup (_("Snap counts this purchase once: the pixel’s transaction_id equals the server’s order_id. Sending the same dedup id on both sides makes the match independent of the order id."));
    case CAPI_DEDUP_CLASS_ID_REUSED:
      return g_strdup (_("One dedup id is used for several different conversions, so Snap drops all but the first: conversions are undercounted. Give every conversion its own id (e.g. the order number plus the event name)."));
    case CAPI_DEDUP_CLASS_PIXEL_ONLY:
      return g_strdup (_("Only the pixel reported this conversion. If the server should have sent it too, check the server’s logs for this event."));
    case CAPI_DEDUP_CLASS_CAPI_ONLY:
      return g_strdup (_("Only the server reported this conversion. If the page should have fired the pixel too, check that the pixel loads on that page."));
    case CAPI_DEDUP_CLASS_DOUBLE_COUNTED:
    case CAPI_DEDUP_N_CLASSES:
    default:
      break;
    }

  switch (self->reason)
    {
    case CAPI_DEDUP_REASON_ID_MISSING_ON_CAPI:
      return g_strdup (_("Counted twice: the server sent no event_id. Set event_id on the server to the pixel’s client_dedup_id."));
    case CAPI_DEDUP_REASON_ID_MISSING_ON_PIXEL:
      return g_strdup (_("Counted twice: the pixel sent no client_dedup_id. Pass client_dedup_id in snaptr('track', …) with the value the server sends as event_id."));
    case CAPI_DEDUP_REASON_EVENT_NAME_MISMATCH:
      return g_strdup (_("Counted twice: the ids match but the event names differ. Send the same event name on both sides."));
    case CAPI_DEDUP_REASON_PIXEL_MISMATCH:
      return g_strdup (_("Counted twice: the ids match but the events went to different pixels. Send the server event to the pixel the page uses."));
    case CAPI_DEDUP_REASON_OUTSIDE_WINDOW:
      return g_strdup (_("Counted twice: the pair is farther apart than the deduplication window. Send the server event sooner after the pixel fires."));
    case CAPI_DEDUP_REASON_CASE_MISMATCH:
      return g_strdup (_("Counted twice: one side names the event in lowercase. Snap’s standard event names are UPPER_SNAKE (e.g. PURCHASE) on both sides."));
    case CAPI_DEDUP_REASON_NONE:
    case CAPI_DEDUP_N_REASONS:
    default:
      return g_strdup (_("Counted twice."));
    }
}

const char *
capi_dedup_class_to_string (CapiDedupClassification klass)
{
  g_return_val_if_fail (klass < CAPI_DEDUP_N_CLASSES, NULL);
  return class_names[klass];
}

const char *
capi_dedup_reason_to_string (CapiDedupReason reason)
{
  g_return_val_if_fail (reason < CAPI_DEDUP_N_REASONS, NULL);
  return reason_names[reason];
}

/* A short label for a class, for tables and filters (translated). */
const char *
capi_dedup_class_get_label (CapiDedupClassification klass)
{
  switch (klass)
    {
    case CAPI_DEDUP_CLASS_DEDUPLICATED:
      return _("Deduplicated");
    case CAPI_DEDUP_CLASS_PURCHASE_MATCHED:
      return _("Matched by transaction ID");
    case CAPI_DEDUP_CLASS_DOUBLE_COUNTED:
      return _("Double-counted");
    case CAPI_DEDUP_CLASS_ID_REUSED:
      return _("ID reused");
    case CAPI_DEDUP_CLASS_PIXEL_ONLY:
      return _("Pixel only");
    case CAPI_DEDUP_CLASS_CAPI_ONLY:
      return _("CAPI only");
    case CAPI_DEDUP_N_CLASSES:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* A short label for a reason (translated); "" for none. */
const char *
capi_dedup_reason_get_label (CapiDedupReason reason)
{
  switch (reason)
    {
    case CAPI_DEDUP_REASON_NONE:
      return "";
    case CAPI_DEDUP_REASON_ID_MISSING_ON_CAPI:
      return _("No event_id on the server");
    case CAPI_DEDUP_REASON_ID_MISSING_ON_PIXEL:
      return _("No client_dedup_id on the pixel");
    case CAPI_DEDUP_REASON_EVENT_NAME_MISMATCH:
      return _("Event names differ");
    case CAPI_DEDUP_REASON_PIXEL_MISMATCH:
      return _("Pixels differ");
    case CAPI_DEDUP_REASON_OUTSIDE_WINDOW:
      return _("Outside the window");
    case CAPI_DEDUP_REASON_CASE_MISMATCH:
      return _("Lowercase event name");
    case CAPI_DEDUP_N_REASONS:
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
capi_dedup_class_from_string (const char     *text,
                              CapiDedupClassification *out_class)
{
  for (guint i = 0; i < CAPI_DEDUP_N_CLASSES; i++)
    if (g_strcmp0 (text, class_names[i]) == 0)
      {
        *out_class = i;
        return TRUE;
      }
  return FALSE;
}
