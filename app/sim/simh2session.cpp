#include "simh2session.h"

#include "simhttpparser.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace hd {

namespace {

QByteArray bytes(const uint8_t *data, size_t len)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(len));
}

// Headers that mean something only to an HTTP/1.1 connection; HTTP/2 forbids them (RFC 9113
// §8.2.2).
bool connectionSpecific(const QByteArray &lowerName)
{
    return lowerName == "connection" || lowerName == "keep-alive" || lowerName == "proxy-connection"
           || lowerName == "transfer-encoding" || lowerName == "upgrade"
           || lowerName == "content-length" || lowerName == "date";
}

} // namespace

// nghttp2's C callbacks; user_data is the session.
struct SimH2Session::Callbacks
{
    static SimH2Session *self(void *userData) { return static_cast<SimH2Session *>(userData); }

    static int onBeginHeaders(nghttp2_session *, const nghttp2_frame *frame, void *userData)
    {
        if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST)
            return 0;
        SimH2Session *s = self(userData);
        if (s->m_streams.size() >= MaxStreams) {
            s->reset(frame->hd.stream_id, NGHTTP2_REFUSED_STREAM);
            return 0;
        }
        s->m_streams.insert(frame->hd.stream_id, std::make_shared<Stream>());
        return 0;
    }

    static int onHeader(nghttp2_session *, const nghttp2_frame *frame, const uint8_t *name,
                        size_t nameLen, const uint8_t *value, size_t valueLen, uint8_t,
                        void *userData)
    {
        if (frame->hd.type != NGHTTP2_HEADERS)
            return 0;
        Stream *st = self(userData)->stream(frame->hd.stream_id);
        if (!st)
            return 0; // trailers of a stream we refused, or a reset one
        const QByteArray n = bytes(name, nameLen);
        const QByteArray v = bytes(value, valueLen);
        if (n == ":method")
            st->request.method = v;
        else if (n == ":path")
            st->request.target = v;
        else if (n == ":authority")
            st->request.headers.append({QByteArrayLiteral("Host"), v});
        else if (n.startsWith(':'))
            return 0; // :scheme
        else if (st->request.headers.size() >= MaxHeaders)
            return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE; // resets the stream
        else
            st->request.headers.append({n, v});
        return 0;
    }

    static int onDataChunk(nghttp2_session *, uint8_t, int32_t streamId, const uint8_t *data,
                           size_t len, void *userData)
    {
        SimH2Session *s = self(userData);
        Stream *st = s->stream(streamId);
        if (!st || st->tooLarge)
            return 0;
        if (st->request.body.size() + qint64(len) > s->m_maxBodyBytes) {
            st->tooLarge = true;
            st->request.body.clear();
            return 0;
        }
        st->request.body.append(reinterpret_cast<const char *>(data), qsizetype(len));
        return 0;
    }

    static int onFrameReceived(nghttp2_session *, const nghttp2_frame *frame, void *userData)
    {
        if ((frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA)
            || !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM))
            return 0;
        SimH2Session *s = self(userData);
        const qint32 id = frame->hd.stream_id;
        Stream *st = s->stream(id);
        if (!st)
            return 0;
        SimRequest req = st->request;
        req.contentLength = req.body.size();
        req.keepAlive = true;
        const bool methodOk = !req.method.isEmpty()
                              && std::all_of(req.method.cbegin(), req.method.cend(),
                                             [](char c) { return c >= 'A' && c <= 'Z'; });
        if (st->tooLarge) {
            s->respond(
                id, SimResponse::json(413, QByteArrayLiteral(R"({"error":"payload too large"})")),
                s->m_nowMs());
            return 0;
        }
        if (!methodOk || !req.target.startsWith('/')) {
            s->respond(
                id, SimResponse::json(400, QByteArrayLiteral(R"({"error":"malformed request"})")),
                s->m_nowMs());
            return 0;
        }
        SimHttpParser::splitTarget(req);
        s->m_onRequest(id, std::move(req));
        return 0;
    }

    static int onStreamClose(nghttp2_session *, int32_t streamId, uint32_t, void *userData)
    {
        self(userData)->m_streams.remove(streamId);
        return 0;
    }

    static ssize_t readBody(nghttp2_session *, int32_t streamId, uint8_t *buf, size_t length,
                            uint32_t *dataFlags, nghttp2_data_source *, void *userData)
    {
        Stream *st = self(userData)->stream(streamId);
        if (!st) {
            *dataFlags |= NGHTTP2_DATA_FLAG_EOF;
            return 0;
        }
        const qsizetype n
            = std::min<qsizetype>(qsizetype(length), st->responseBody.size() - st->sent);
        if (n > 0)
            std::memcpy(buf, st->responseBody.constData() + st->sent, size_t(n));
        st->sent += n;
        if (st->sent >= st->responseBody.size())
            *dataFlags |= NGHTTP2_DATA_FLAG_EOF;
        return n;
    }
};

SimH2Session::SimH2Session(int maxBodyBytes, RequestHandler onRequest,
                           std::function<qint64()> nowMs)
    : m_maxBodyBytes(std::max(0, maxBodyBytes))
    , m_onRequest(std::move(onRequest))
    , m_nowMs(std::move(nowMs))
{
    nghttp2_session_callbacks *cb = nullptr;
    if (nghttp2_session_callbacks_new(&cb) != 0) {
        m_error = QStringLiteral("out of memory");
        return;
    }
    nghttp2_session_callbacks_set_on_begin_headers_callback(cb, &Callbacks::onBeginHeaders);
    nghttp2_session_callbacks_set_on_header_callback(cb, &Callbacks::onHeader);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, &Callbacks::onDataChunk);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, &Callbacks::onFrameReceived);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, &Callbacks::onStreamClose);
    if (nghttp2_session_server_new(&m_session, cb, this) != 0)
        m_error = QStringLiteral("cannot create an HTTP/2 session");
    nghttp2_session_callbacks_del(cb);
    if (!m_session)
        return;
    const nghttp2_settings_entry settings[]{{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, MaxStreams}};
    nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, settings, std::size(settings));
}

SimH2Session::~SimH2Session()
{
    if (m_session)
        nghttp2_session_del(m_session);
}

SimH2Session::Stream *SimH2Session::stream(qint32 id)
{
    const auto it = m_streams.constFind(id);
    return it == m_streams.cend() ? nullptr : it->get();
}

void SimH2Session::reset(qint32 id, quint32 errorCode)
{
    if (m_session)
        nghttp2_submit_rst_stream(m_session, NGHTTP2_FLAG_NONE, id, errorCode);
}

bool SimH2Session::receive(const QByteArray &in)
{
    if (!m_session)
        return false;
    const ssize_t rv = nghttp2_session_mem_recv(
        m_session, reinterpret_cast<const uint8_t *>(in.constData()), size_t(in.size()));
    if (rv < 0) {
        m_error = QString::fromLatin1(nghttp2_strerror(int(rv)));
        return false;
    }
    return true;
}

void SimH2Session::respond(qint32 streamId, const SimResponse &response, qint64 nowMs)
{
    Stream *st = stream(streamId);
    if (!m_session || !st)
        return; // the client reset the stream meanwhile
    switch (response.fault) {
    case SimFault::None:
    case SimFault::Slow: // HTTP/2 frames its data: dribbling bytes proves nothing here
        break;
    case SimFault::Hang:
        return; // never answer; the client's deadline (or its RST_STREAM) ends the stream
    case SimFault::Reset:
    case SimFault::CloseNoAnswer:
    case SimFault::IdleCut:
    case SimFault::Truncate:
    case SimFault::Malformed:
        reset(streamId, NGHTTP2_INTERNAL_ERROR);
        return;
    }
    st->responseBody = response.body;
    st->sent = 0;
    // nghttp2 copies names and values while submitting: these only need to live until then.
    std::vector<std::pair<QByteArray, QByteArray>> fields;
    fields.reserve(std::size_t(response.headers.size()) + 4);
    fields.emplace_back(QByteArrayLiteral(":status"), QByteArray::number(response.status));
    fields.emplace_back(QByteArrayLiteral("server"), QByteArrayLiteral("healthdeck-sim"));
    fields.emplace_back(QByteArrayLiteral("date"), SimResponse::httpDate(nowMs));
    for (const auto &[name, value] : response.headers) {
        const QByteArray lower = name.toLower();
        if (!connectionSpecific(lower))
            fields.emplace_back(lower, value);
    }
    fields.emplace_back(QByteArrayLiteral("content-length"),
                        QByteArray::number(response.body.size()));
    std::vector<nghttp2_nv> nva;
    nva.reserve(fields.size());
    for (auto &[name, value] : fields)
        nva.push_back({reinterpret_cast<uint8_t *>(name.data()),
                       reinterpret_cast<uint8_t *>(value.data()), size_t(name.size()),
                       size_t(value.size()), NGHTTP2_NV_FLAG_NONE});
    nghttp2_data_provider body{};
    body.read_callback = &Callbacks::readBody;
    if (nghttp2_submit_response(m_session, streamId, nva.data(), nva.size(), &body) != 0)
        reset(streamId, NGHTTP2_INTERNAL_ERROR);
}

QByteArray SimH2Session::takeOutput()
{
    QByteArray out;
    if (!m_session)
        return out;
    for (;;) {
        const uint8_t *data = nullptr;
        const ssize_t n = nghttp2_session_mem_send(m_session, &data);
        if (n <= 0) {
            if (n < 0)
                m_error = QString::fromLatin1(nghttp2_strerror(int(n)));
            break;
        }
        out.append(reinterpret_cast<const char *>(data), qsizetype(n));
    }
    return out;
}

bool SimH2Session::isAlive() const
{
    return m_session
           && (nghttp2_session_want_read(m_session) || nghttp2_session_want_write(m_session));
}

} // namespace hd
