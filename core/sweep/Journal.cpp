#include "sweep/Journal.h"

#include "util/Error.h"
#include "util/Files.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace nc {

namespace {
constexpr std::uint64_t kMaxJournalBytes = 256ull << 20;
}

Observation TrialRecord::observation() const {
    Observation o;
    o.number = number;
    o.params = params;
    o.state = state;
    o.value = bestValidationAccuracy;
    o.epochs = epochs;
    return o;
}

Json TrialRecord::toJson() const {
    Json j = {{"trial", number},
              {"params", params},
              {"state", trialStateName(state)},
              {"best_val_accuracy", bestValidationAccuracy},
              {"best_epoch", bestEpoch},
              {"epochs", epochs},
              {"max_epochs", maxEpochs},
              {"val_accuracy", validationAccuracy},
              {"seconds", seconds},
              {"run_id", runId},
              {"run_dir", runDir}};
    if (!message.empty())
        j["message"] = message;
    return j;
}

TrialRecord TrialRecord::fromJson(const Json& j) {
    if (!j.is_object() || !j.contains("trial") || !j["trial"].is_number_integer())
        throw Error("a trial record needs a \"trial\" number");
    TrialRecord r;
    r.number = j["trial"].get<int>();
    r.params = j.value("params", Json::object());
    if (!r.params.is_object())
        throw Error("trial " + std::to_string(r.number) + ": \"params\" must be an object");
    const std::string state = j.value("state", std::string("running"));
    if (!parseTrialState(state, r.state))
        throw Error("trial " + std::to_string(r.number) + ": unknown state '" + state + "'");
    r.bestValidationAccuracy = j.value("best_val_accuracy", 0.0);
    r.bestEpoch = j.value("best_epoch", 0);
    r.epochs = j.value("epochs", 0);
    r.maxEpochs = j.value("max_epochs", 0);
    if (j.contains("val_accuracy") && j["val_accuracy"].is_array())
        for (const Json& v : j["val_accuracy"])
            if (v.is_number())
                r.validationAccuracy.push_back(v.get<double>());
    r.seconds = j.value("seconds", 0.0);
    r.message = j.value("message", std::string());
    r.runId = j.value("run_id", std::string());
    r.runDir = j.value("run_dir", std::string());
    return r;
}

SweepJournal::SweepJournal(std::string path) : m_path(std::move(path)) {
    const std::filesystem::path parent = std::filesystem::path(m_path).parent_path();
    if (!parent.empty())
        makeDirectories(parent.string());
    m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throw Error("cannot open the sweep journal " + m_path + ": " + std::strerror(errno));
}

SweepJournal::~SweepJournal() {
    if (m_fd >= 0)
        ::close(m_fd);
}

void SweepJournal::append(const Json& event) {
    const std::string line = event.dump() + "\n";
    std::lock_guard<std::mutex> lock(m_mutex);
    std::size_t written = 0;
    while (written < line.size()) {
        const ssize_t n = ::write(m_fd, line.data() + written, line.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw Error("cannot write the sweep journal " + m_path + ": " + std::strerror(errno));
        written += std::size_t(n);
    }
    ::fdatasync(m_fd);
}

JournalContents SweepJournal::read(const std::string& path) {
    if (!fileExists(path))
        throw Error("sweep journal not found: " + path);
    const std::string text = readFileText(path, kMaxJournalBytes);
    JournalContents out;
    std::map<int, TrialRecord> trials;
    std::istringstream in(text);
    std::string line;
    int lineNumber = 0;
    bool sawHeader = false;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.empty())
            continue;
        Json j;
        try {
            j = Json::parse(line);
        } catch (const Json::exception&) {
            if (in.peek() == std::char_traits<char>::eof() && text.back() != '\n')
                break; // the last line was cut by a kill mid-write: that event never happened
            throw Error(path + ": line " + std::to_string(lineNumber) + " is not JSON; the journal is damaged");
        }
        const std::string event = j.value("event", std::string());
        try {
            if (event == "sweep") {
                out.header = j;
                sawHeader = true;
            } else if (event == "trial_start") {
                TrialRecord r = TrialRecord::fromJson(j);
                r.state = TrialState::Running;
                trials[r.number] = r;
            } else if (event == "trial_epoch") {
                const int n = j.at("trial").get<int>();
                auto it = trials.find(n);
                if (it != trials.end()) {
                    it->second.epochs = j.at("epoch").get<int>();
                    it->second.validationAccuracy.push_back(j.at("val_accuracy").get<double>());
                    it->second.bestValidationAccuracy = j.value("best_val_accuracy", 0.0);
                }
            } else if (event == "trial_end") {
                TrialRecord r = TrialRecord::fromJson(j);
                trials[r.number] = r;
            }
        } catch (const Json::exception& e) {
            throw Error(path + ": line " + std::to_string(lineNumber) + " is not a journal event (" + e.what() + ")");
        }
    }
    if (!sawHeader)
        throw Error(path + " is not a sweep journal (it has no \"sweep\" line)");
    for (auto& [n, r] : trials)
        out.trials.push_back(std::move(r));
    return out;
}

} // namespace nc
