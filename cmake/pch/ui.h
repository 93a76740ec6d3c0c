// Precompiled for the console (ui/): engine.h plus the widgets nearly every dialog uses.
#pragma once
#include "engine.h"
#ifdef __cplusplus
#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <QWidget>
#endif
