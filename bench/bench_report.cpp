// bench_report: the bench runner's (bench/run-all) collector.
//
//   bench_report machine --build DIR --out FILE [--mode full|quick]
//       machine info at the start of a run: CPU, cores, RAM, kernel, OS, Qt, compiler, build
//       type, git commit, load average.
//   bench_report report --run DIR
//       reads DIR/machine.json, DIR/runs.tsv (name, kind, status, exit code, seconds, file)
//       and the Google Benchmark / end-to-end JSON files it names, and writes
//       DIR/results.json and DIR/results.md: one row per measure with its DESIGN §8 budget
//       and whether it was met. Never fails on a missed budget; exit 1 only on unusable input.

#include <QtGlobal>

#include <nlohmann/json.hpp>

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string trim(std::string s)
{
    const auto b = s.find_first_not_of(" \t\r\n\"");
    const auto e = s.find_last_not_of(" \t\r\n\"");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// "key<sep>value" lines: the first value of key.
std::string fieldOf(const std::string &text, const std::string &key, char sep)
{
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const auto p = line.find(sep);
        if (p != std::string::npos && trim(line.substr(0, p)) == key)
            return trim(line.substr(p + 1));
    }
    return {};
}

std::string command(const std::string &cmd)
{
    std::string out;
    if (FILE *p = popen(cmd.c_str(), "r")) {
        char buf[512];
        while (std::fgets(buf, sizeof buf, p))
            out += buf;
        pclose(p);
    }
    return trim(out);
}

std::string shellQuote(const std::string &s)
{
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

json loadAverage()
{
    double l[3] = {0, 0, 0};
    if (getloadavg(l, 3) != 3)
        return nullptr;
    return json::array({l[0], l[1], l[2]});
}

std::string utcNow()
{
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

json machineInfo(const fs::path &build, const std::string &mode)
{
    json m;
    m["timestamp"] = utcNow();
    m["mode"] = mode;
    const std::string cpuinfo = readFile("/proc/cpuinfo");
    m["cpu_model"] = fieldOf(cpuinfo, "model name", ':');
    m["logical_cpus"] = sysconf(_SC_NPROCESSORS_ONLN);
    const std::string meminfo = readFile("/proc/meminfo");
    m["ram_bytes"] = std::atoll(fieldOf(meminfo, "MemTotal", ':').c_str()) * 1024LL;
    utsname u{};
    uname(&u);
    m["kernel"] = std::string(u.sysname) + " " + u.release + " " + u.machine;
    m["os"] = fieldOf(readFile("/etc/os-release"), "PRETTY_NAME", '=');
    m["qt_version"] = std::string(qVersion());
#if defined(__clang__)
    m["compiler"] = std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
    m["compiler"] = std::string("gcc ") + __VERSION__;
#else
    m["compiler"] = "unknown";
#endif
    const std::string cache = readFile(build / "CMakeCache.txt");
    auto cacheValue = [&cache](const std::string &key) {
        std::istringstream in(cache);
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind(key + ":", 0) == 0) {
                const auto eq = line.find('=');
                return eq == std::string::npos ? std::string() : line.substr(eq + 1);
            }
        }
        return std::string();
    };
    m["build_type"] = cacheValue("CMAKE_BUILD_TYPE");
    m["cxx_compiler"] = cacheValue("CMAKE_CXX_COMPILER");
    const std::string source = cacheValue("CMAKE_HOME_DIRECTORY");
    if (!source.empty()) {
        const std::string git = "git -C " + shellQuote(source);
        m["git_commit"] = command(git + " rev-parse HEAD 2>/dev/null");
        m["git_dirty"] = !command(git + " status --porcelain 2>/dev/null").empty();
    }
    m["load_average_start"] = loadAverage();
    return m;
}

// ---- report --------------------------------------------------------------------------------

struct Measure
{
    std::string area;
    std::string bench;
    std::string name;
    std::string label;
    double value = NAN;
    std::string unit;
    bool hasBudget = false;
    double budget = 0;
    std::string op;
    std::string note;

    std::string verdict() const
    {
        if (!hasBudget)
            return "—";
        if (!std::isfinite(value))
            return "no figure";
        bool ok = false;
        if (op == "<=")
            ok = value <= budget;
        else if (op == "<")
            ok = value < budget;
        else if (op == ">=")
            ok = value >= budget;
        else if (op == ">")
            ok = value > budget;
        else if (op == "==")
            ok = value == budget;
        else
            return "bad budget_op";
        return ok ? "met" : "missed";
    }

    json toJson() const
    {
        json j{{"area", area},   {"bench", bench}, {"name", name},
               {"label", label}, {"unit", unit},   {"verdict", verdict()}};
        j["value"] = std::isfinite(value) ? json(value) : json(nullptr);
        if (hasBudget) {
            j["budget"] = budget;
            j["budget_op"] = op;
        }
        if (!note.empty())
            j["note"] = note;
        return j;
    }
};

std::string areaOf(const std::string &bench)
{
    static const std::vector<std::pair<std::string, std::string>> areas{
        {"classify", "Classifier"},
        {"history", "Aggregators & error log"},
        {"scheduler", "Scheduler"},
        {"idle", "Scheduler"},
        {"store", "Store"},
        {"ui", "UI"},
        {"chart", "UI"},
        {"export", "Export"}};
    for (const auto &[prefix, area] : areas) {
        if (bench.find(prefix) != std::string::npos)
            return area;
    }
    return bench;
}

double toMs(double t, const std::string &unit)
{
    if (unit == "ns")
        return t / 1e6;
    if (unit == "us")
        return t / 1e3;
    if (unit == "s")
        return t * 1e3;
    return t;
}

std::string fmt(double v)
{
    if (!std::isfinite(v))
        return "—";
    char buf[64];
    const double a = std::fabs(v);
    if (a >= 10000) {
        std::snprintf(buf, sizeof buf, "%.0f", a);
        const std::string digits = buf;
        std::string s = v < 0 ? "-" : "";
        for (std::size_t i = 0; i < digits.size(); ++i) {
            if (i > 0 && (digits.size() - i) % 3 == 0)
                s += ',';
            s += digits[i];
        }
        return s;
    }
    if (a >= 100)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else if (a >= 10)
        std::snprintf(buf, sizeof buf, "%.1f", v);
    else
        std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

std::string rowsText(double rows)
{
    if (rows == 1e6)
        return "1M rows";
    return fmt(rows) + " rows";
}

// Runs of one Google Benchmark file, aggregates left out.
std::vector<json> gbRuns(const json &doc)
{
    std::vector<json> runs;
    for (const json &b : doc.value("benchmarks", json::array())) {
        if (b.value("run_type", "iteration") == "iteration" && !b.contains("error_occurred"))
            runs.push_back(b);
    }
    return runs;
}

bool startsWith(const std::string &s, const std::string &p)
{
    return s.rfind(p, 0) == 0;
}

void classifyMeasures(const std::string &bench, const json &doc, std::vector<Measure> &out)
{
    const std::vector<json> runs = gbRuns(doc);
    const json *slowest = nullptr;
    const json *fastest = nullptr;
    int small = 0;
    for (const json &r : runs) {
        const std::string name = r.value("name", "");
        if (startsWith(name, "BM_Body"))
            continue;
        ++small;
        const double ips = r.value("items_per_second", 0.0);
        if (!slowest || ips < (*slowest).value("items_per_second", 0.0))
            slowest = &r;
        if (!fastest || ips > (*fastest).value("items_per_second", 0.0))
            fastest = &r;
    }
    Measure m{areaOf(bench), bench, "small_responses_per_s_per_core", {}, NAN, "responses/s"};
    m.label = "classify small bodies, per core (slowest of " + std::to_string(small) + ")";
    m.hasBudget = true;
    m.budget = 200000;
    m.op = ">=";
    if (slowest) {
        m.value = slowest->value("items_per_second", 0.0);
        m.note = "slowest " + slowest->value("name", "") + "; fastest " + fastest->value("name", "")
                 + " at " + fmt(fastest->value("items_per_second", 0.0)) + "/s";
    }
    out.push_back(m);
    for (const json &r : runs) {
        const std::string name = r.value("name", "");
        if (!startsWith(name, "BM_Body"))
            continue;
        Measure b{areaOf(bench), bench, name, {}, r.value("items_per_second", 0.0), "responses/s"};
        b.label = "classify a large body (" + name.substr(7) + "), per core";
        b.note = fmt(r.value("bytes_per_second", 0.0) / 1e6) + " MB/s";
        out.push_back(b);
    }
}

void historyMeasures(const std::string &bench, const json &doc, std::vector<Measure> &out)
{
    const std::vector<json> runs = gbRuns(doc);
    auto find = [&runs](const std::string &name) -> const json * {
        for (const json &r : runs) {
            if (r.value("name", "") == name)
                return &r;
        }
        return nullptr;
    };
    const std::string area = areaOf(bench);
    auto rate = [&](const std::string &gbName, const std::string &id, const std::string &label,
                    bool budget) {
        Measure m{area, bench, id, label, NAN, "events/s"};
        if (budget) {
            m.hasBudget = true;
            m.budget = 200000;
            m.op = ">=";
        }
        if (const json *r = find(gbName))
            m.value = r->value("items_per_second", NAN);
        out.push_back(m);
    };
    rate("BM_IngestBothPerFrame", "ingest_events_per_s",
         "ingest into aggregators + log model (one flush per 60 fps frame), per core", true);
    rate("BM_AggregatorIngest", "aggregator_events_per_s", "ingest into aggregators alone", false);
    rate("BM_LogModelIngestPerFrame", "log_model_events_per_s", "ingest into the log model alone",
         false);
    {
        Measure m{area, bench,  "begin_insert_rows_per_frame", "beginInsertRows per frame",
                  NAN,  "calls"};
        m.hasBudget = true;
        m.budget = 1;
        m.op = "<=";
        if (const json *r = find("BM_LogModelIngestPerFrame"))
            m.value = r->value("inserts_per_flush", NAN);
        out.push_back(m);
    }
    auto worst = [&](const std::string &prefix, const std::string &id, const std::string &what,
                     double budget) {
        const json *w = nullptr;
        double rows = NAN;
        int n = 0;
        double cpuWorst = 0;
        for (const json &r : runs) {
            if (!startsWith(r.value("name", ""), prefix))
                continue;
            ++n;
            const double t = toMs(r.value("real_time", 0.0), r.value("time_unit", "ns"));
            cpuWorst
                = std::max(cpuWorst, toMs(r.value("cpu_time", 0.0), r.value("time_unit", "ns")));
            if (!w || t > toMs(w->value("real_time", 0.0), w->value("time_unit", "ns")))
                w = &r;
            if (r.contains("model_rows"))
                rows = r.value("model_rows", NAN);
        }
        Measure m{area, bench, id, {}, NAN, "ms"};
        m.hasBudget = true;
        m.budget = budget;
        m.op = "<=";
        if (w) {
            m.value = toMs(w->value("real_time", 0.0), w->value("time_unit", "ns"));
            m.note = "wall time, slowest of " + std::to_string(n) + ": "
                     + w->value("label", w->value("name", "")) + "; worst CPU time " + fmt(cpuWorst)
                     + " ms";
        }
        const double modelRows = std::isfinite(rows) ? rows : 1e6;
        m.label = what + " on " + rowsText(modelRows);
        out.push_back(m);
        return modelRows;
    };
    const double rows = worst("BM_Filter1M", "filter_ms", "log table filter (worst)", 50);
    worst("BM_Sort1M", "sort_ms", "log table sort (worst column)", 150);
    {
        Measure m{area, bench, "scroll_viewport_ms", {}, NAN, "ms"};
        m.label = "log table scroll: data() for a 40-row viewport at a random position, "
                  + rowsText(rows);
        if (const json *r = find("BM_Scroll1M")) {
            m.value = toMs(r->value("real_time", 0.0), r->value("time_unit", "ns"));
            m.note = "all 10 columns, DisplayRole; CPU "
                     + fmt(toMs(r->value("cpu_time", 0.0), r->value("time_unit", "ns"))) + " ms";
        }
        out.push_back(m);
    }
    {
        Measure m{area, bench, "bytes_per_event_held", {}, NAN, "B"};
        m.label = "memory per event held in the log model";
        m.hasBudget = true;
        m.budget = 200;
        m.op = "<=";
        for (const json &r : runs) {
            if (!startsWith(r.value("name", ""), "BM_BytesPerEvent"))
                continue;
            const double model = r.value("model_bytes_per_event", NAN);
            const double heap = r.value("heap_bytes_per_event", NAN);
            m.value = std::max(model, heap);
            m.note = "larger of the model's own count (" + fmt(model)
                     + " B) and heap growth seen by malloc (" + fmt(heap) + " B)";
        }
        out.push_back(m);
    }
}

void e2eMeasures(const std::string &bench, const json &doc, std::vector<Measure> &out)
{
    const std::string name = doc.value("bench", bench);
    for (const json &j : doc.value("metrics", json::array())) {
        Measure m{areaOf(name),         name, j.value("name", ""),
                  j.value("label", ""), NAN,  j.value("unit", "")};
        if (m.label.empty())
            m.label = m.name;
        if (j.contains("value") && j["value"].is_number())
            m.value = j["value"].get<double>();
        if (j.contains("budget") && j["budget"].is_number()) {
            m.hasBudget = true;
            m.budget = j["budget"].get<double>();
            m.op = j.value("budget_op", "<=");
        }
        if (j.contains("note") && j["note"].is_string())
            m.note = j["note"].get<std::string>();
        out.push_back(m);
    }
}

struct Run
{
    std::string name, kind, status;
    int exitCode = 0;
    double seconds = 0;
    std::string file;
};

std::vector<Run> readRuns(const fs::path &tsv)
{
    std::vector<Run> runs;
    std::istringstream in(readFile(tsv));
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::istringstream ls(line);
        std::string cell;
        while (std::getline(ls, cell, '\t'))
            f.push_back(cell);
        if (f.size() < 5)
            continue;
        Run r{f[0],
              f[1],
              f[2],
              std::atoi(f[3].c_str()),
              std::atof(f[4].c_str()),
              f.size() > 5 ? f[5] : std::string()};
        runs.push_back(r);
    }
    return runs;
}

std::string md(std::string s)
{
    std::string o;
    for (char c : s)
        o += c == '|' ? std::string("\\|") : std::string(1, c);
    return o;
}

int report(const fs::path &run)
{
    json machine = json::object();
    try {
        machine = json::parse(readFile(run / "machine.json"));
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_report: %s/machine.json: %s\n", run.c_str(), e.what());
        return 1;
    }
    machine["load_average_end"] = loadAverage();
    const std::vector<Run> runs = readRuns(run / "runs.tsv");
    std::vector<Measure> measures;
    json raw = json::object();
    json runsJson = json::array();
    for (const Run &r : runs) {
        json rj{{"name", r.name},
                {"kind", r.kind},
                {"status", r.status},
                {"exit_code", r.exitCode},
                {"seconds", r.seconds}};
        if (r.status == "ok" && !r.file.empty()) {
            try {
                const json doc = json::parse(readFile(run / r.file));
                raw[r.name] = doc;
                rj["file"] = r.file;
                if (r.kind == "gbench" && r.name == "classify")
                    classifyMeasures("classify", doc, measures);
                else if (r.kind == "gbench" && r.name == "history")
                    historyMeasures("history", doc, measures);
                else if (r.kind == "gbench")
                    std::fprintf(stderr, "bench_report: no measures known for %s\n",
                                 r.name.c_str());
                else
                    e2eMeasures(r.name, doc, measures);
            } catch (const std::exception &e) {
                rj["status"] = "bad_output";
                rj["error"] = e.what();
            }
        }
        runsJson.push_back(rj);
    }

    json results{{"schema", "healthdeck.bench/1"},
                 {"mode", machine.value("mode", "full")},
                 {"machine", machine},
                 {"runs", runsJson},
                 {"measures", json::array()},
                 {"raw", raw}};
    int met = 0, missed = 0;
    for (const Measure &m : measures) {
        results["measures"].push_back(m.toJson());
        met += m.verdict() == "met";
        missed += m.verdict() == "missed";
    }
    results["summary"] = {{"met", met}, {"missed", missed}, {"measures", measures.size()}};
    {
        std::ofstream out(run / "results.json");
        out << results.dump(2) << '\n';
    }

    std::ostringstream o;
    const bool quick = machine.value("mode", "full") == "quick";
    o << "# HealthDeck benchmarks — " << machine.value("timestamp", "") << " ("
      << (quick ? "quick" : "full") << " run)\n\n";
    if (quick)
        o << "**Quick smoke run:** shortened durations and small sizes. The figures show the "
             "suite works; they are not taken under the budgets' conditions.\n\n";
    auto loadText = [](const json &l) {
        if (!l.is_array() || l.size() != 3)
            return std::string("unknown");
        return fmt(l[0].get<double>()) + " / " + fmt(l[1].get<double>()) + " / "
               + fmt(l[2].get<double>());
    };
    o << "| machine | |\n|---|---|\n";
    o << "| CPU | " << md(machine.value("cpu_model", "")) << " |\n";
    o << "| logical CPUs | " << machine.value("logical_cpus", 0) << " |\n";
    o << "| RAM | " << fmt(double(machine.value("ram_bytes", 0LL)) / (1024.0 * 1024 * 1024))
      << " GiB |\n";
    o << "| OS, kernel | " << md(machine.value("os", "")) << ", " << md(machine.value("kernel", ""))
      << " |\n";
    o << "| Qt | " << machine.value("qt_version", "") << " |\n";
    o << "| compiler | " << md(machine.value("compiler", "")) << " |\n";
    o << "| build type | " << machine.value("build_type", "") << " |\n";
    o << "| commit | " << machine.value("git_commit", "")
      << (machine.value("git_dirty", false) ? " (with uncommitted changes)" : "") << " |\n";
    o << "| load average at start (1/5/15 min) | " << loadText(machine["load_average_start"])
      << " |\n";
    o << "| load average at end | " << loadText(machine["load_average_end"]) << " |\n\n";

    o << "| area | measure | figure | budget | verdict | note |\n|---|---|---|---|---|---|\n";
    for (const Measure &m : measures) {
        o << "| " << md(m.area) << " | " << md(m.label) << " | " << fmt(m.value) << " "
          << md(m.unit) << " | "
          << (m.hasBudget ? md(m.op) + " " + fmt(m.budget) + " " + md(m.unit) : std::string("—"))
          << " | " << (m.verdict() == "missed" ? "**missed**" : m.verdict()) << " | " << md(m.note)
          << " |\n";
    }
    o << "\n" << met << " budgets met, " << missed << " missed.\n\n";
    o << "| program | status | seconds |\n|---|---|---|\n";
    std::vector<std::string> notBuilt;
    for (const json &r : runsJson) {
        std::string status = r.value("status", "");
        if (status == "not_built") {
            notBuilt.push_back(r.value("name", ""));
            status = "not built in this tree";
        }
        o << "| " << md(r.value("name", "")) << " | " << status << " | "
          << fmt(r.value("seconds", 0.0)) << " |\n";
    }
    if (!notBuilt.empty()) {
        o << "\nNot built in this tree:";
        for (std::size_t i = 0; i < notBuilt.size(); ++i)
            o << (i ? ", " : " ") << notBuilt[i];
        o << ".\n";
    }
    {
        std::ofstream out(run / "results.md");
        out << o.str();
    }
    std::fputs(o.str().c_str(), stdout);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    std::map<std::string, std::string> opt;
    for (int i = 2; i + 1 < argc; i += 2)
        opt[argv[i]] = argv[i + 1];
    const std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "machine" && opt.count("--build") && opt.count("--out")) {
        std::ofstream out(opt["--out"]);
        out << machineInfo(opt["--build"], opt.count("--mode") ? opt["--mode"] : "full").dump(2)
            << '\n';
        return out ? 0 : 1;
    }
    if (cmd == "report" && opt.count("--run"))
        return report(opt["--run"]);
    std::fprintf(stderr, "usage: bench_report machine --build DIR --out FILE [--mode full|quick]\n"
                         "       bench_report report --run DIR\n");
    return 2;
}
