// Precompiled once for every engine test (tests/CMakeLists.txt, REUSE_FROM): engine.h plus
// Qt Test. Built without QT_WIDGETS_LIB, so QTEST_MAIN means QCoreApplication here.
#pragma once
#include "engine.h"
#ifdef __cplusplus
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#endif
