/* capi-finding.c
 *
 * Copyright 2026 The CAPI Inspector authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "capi-finding.h"

struct _CapiFinding
{
  GObject       parent_instance;

  CapiSeverity  severity;
  char         *code;
  char         *path;
  char         *message;
  char         *key;
  int           event_index;
  CapiFix       fix;
};

G_DEFINE_FINAL_TYPE (CapiFinding, capi_finding, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SEVERITY,
  PROP_CODE,
  PROP_PATH,
  PROP_MESSAGE,
  PROP_KEY,
  PROP_EVENT_INDEX,
  PROP_FIXABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
capi_finding_finalize (GObject *object)
{
  CapiFinding *self = (CapiFinding *)object;

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->key, g_free);

  G_OBJECT_CLASS (capi_finding_parent_class)->finalize (object);
}

static void
capi_finding_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CapiFinding *self = CAPI_FINDING (object);

  switch (prop_id)
    {
    case PROP_SEVERITY:
      g_value_set_int (value, self->severity);
      break;

    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;

    case PROP_EVENT_INDEX:
      g_value_set_int (value, self->event_index);
      break;

    case PROP_FIXABLE:
      g_value_set_boolean (value, self->fix != CAPI_FIX_NONE);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
capi_finding_class_init (CapiFindingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = capi_finding_finalize;
  object_class->get_property = capi_finding_get_property;

  properties[PROP_SEVERITY] =
    g_param_spec_int ("severity", NULL, NULL,
                      CAPI_SEVERITY_HINT, CAPI_SEVERITY_ERROR, CAPI_SEVERITY_HINT,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_EVENT_INDEX] =
    g_param_spec_int ("event-index", NULL, NULL, -1, G_MAXINT, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FIXABLE] =
    g_param_spec_boolean ("fixable", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
capi_finding_init (CapiFinding *self)
{
  self->event_index = -1;
}

/**
 * capi_finding_new:
 *
 * Returns: (transfer full): a finding of @severity for @path.
 */
CapiFinding *
capi_finding_new (CapiSeverity  severity,
                  const char   *code,
                  const char   *path,
                  const char   *message)
{
  CapiFinding *self;

  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  self = g_object_new (CAPI_TYPE_FINDING, NULL);
  self->severity = severity;
  self->code = g_strdup (code);
  self->path = g_strdup (path ? path : "");
  self->message = g_strdup (message);

  return self;
}

CapiSeverity
capi_finding_get_severity (CapiFinding *self)
{
  g_return_val_if_fail (CAPI_IS_FINDING (self), CAPI_SEVERITY_HINT);

  return self->severity;
}

const char *
capi_finding_get_code (CapiFinding *self)
{
  g_return_val_if_fail (CAPI_IS_FINDING (self), NULL);

  return self->code;
}

const char *
capi_finding_get_path (CapiFinding *self)
{
  g_return_val_if_fail (CAPI_IS_FINDING (self), NULL);

  return self->path;
}

const char *
capi_finding_get_message (CapiFinding *self)
{
  g_return_val_if_fail (CAPI_IS_FINDING (self), NULL);

  return self->message;
}

int
capi_finding_get_event_index (CapiFinding *self)
{
  g_return_val_if_fail (CAPI_IS_FINDING (self), -1);

  return self->event_index;
}

void
capi_finding_set_event_index (CapiFinding *self,
                              int          index)
{
  g_return_if_fail (CAPI_IS_FINDING (self));

  if (self->event_index == index)
    return;

  self->event_index = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT_INDEX]);
}

const char *
capi_finding_get_key (CapiFinding *self)
{
  g_return_val_if_fail (CAPI_IS_FINDING (self), NULL);

  return self->key;
}

void
capi_finding_set_key (CapiFinding *self,
                      const char  *key)
{
  g_return_if_fail (CAPI_IS_FINDING (self));

  if (g_strcmp0 (self->key, key) == 0)
    return;

  g_free (self->key);
  self->key = g_strdup (key);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
}

CapiFix
capi_finding_get_fix (CapiFinding *self)
{
  g_return_val_if_fail (CAPI_IS_FINDING (self), CAPI_FIX_NONE);

  return self->fix;
}

void
capi_finding_set_fix (CapiFinding *self,
                      CapiFix      fix)
{
  g_return_if_fail (CAPI_IS_FINDING (self));

  if (self->fix == fix)
    return;

  self->fix = fix;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIXABLE]);
}

const char *
capi_severity_to_string (CapiSeverity severity)
{
  switch (severity)
    {
    case CAPI_SEVERITY_ERROR:
      return "error";
    case CAPI_SEVERITY_WARNING:
      return "warning";
    case CAPI_SEVERITY_HINT:
    default:
      return "hint";
    }
}
