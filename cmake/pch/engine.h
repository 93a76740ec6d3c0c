// Precompiled for the engine (app/) and the engine's tests: core.h plus QtNetwork.
#pragma once
#include "core.h"
#ifdef __cplusplus
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#endif
