// Precompiled once for every test that links the console: ui.h plus Qt Test, built with
// QT_WIDGETS_LIB so that QTEST_MAIN means QApplication.
#pragma once
#include "ui.h"
#ifdef __cplusplus
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#endif
