#include "sweep/SweepTab.h"

#include "commands/GraphCommands.h"
#include "document/Document.h"
#include "engine/EngineController.h"
#include "graph/LayerRegistry.h"
#include "model/GraphModel.h"
#include "sweep/SweepCharts.h"
#include "sweep/SweepSession.h"
#include "train/TrainingCommands.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include <cmath>

namespace nc::ui {

namespace {
enum SpaceColumn { KeyColumn, TypeColumn, LowColumn, HighColumn, StepColumn, LogColumn, ValuesColumn, SpaceColumns };
constexpr int kGridPointsRole = Qt::UserRole; // on the key item: a float's grid points (kept, not shown)

QString valueText(const nc::Json& v) {
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_number_float())
        return QString::number(v.get<double>(), 'g', 4);
    return QString::fromStdString(v.dump());
}

nc::Json parseValue(const QString& text) {
    bool ok = false;
    const qlonglong i = text.toLongLong(&ok);
    if (ok)
        return i;
    const double d = text.toDouble(&ok);
    if (ok)
        return d;
    if (text == QLatin1String("true") || text == QLatin1String("false"))
        return text == QLatin1String("true");
    return text.toStdString();
}

QString stateText(nc::TrialState s) {
    switch (s) {
    case nc::TrialState::Running: return SweepTab::tr("running");
    case nc::TrialState::Completed: return SweepTab::tr("completed");
    case nc::TrialState::Pruned: return SweepTab::tr("stopped early");
    case nc::TrialState::Failed: return SweepTab::tr("failed");
    case nc::TrialState::Stopped: return SweepTab::tr("stopped");
    }
    return {};
}
} // namespace

SweepTab::SweepTab(Document* document, EngineController* engine, QWidget* parent)
    : QWidget(parent), m_doc(document), m_engine(engine), m_session(new SweepSession(engine, this)) {
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    auto* spaceBox = new QGroupBox(tr("Search space"));
    auto* spaceLayout = new QVBoxLayout(spaceBox);
    m_space = new QTableWidget(0, SpaceColumns);
    m_space->setObjectName(QStringLiteral("sweepSpace"));
    m_space->setHorizontalHeaderLabels(
        {tr("Parameter"), tr("Type"), tr("Low"), tr("High"), tr("Step"), tr("Log"), tr("Values")});
    m_space->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_space->horizontalHeader()->setStretchLastSection(true);
    m_space->verticalHeader()->hide();
    spaceLayout->addWidget(m_space);
    auto* spaceButtons = new QHBoxLayout;
    m_addParam = new QComboBox;
    m_addParam->setObjectName(QStringLiteral("sweepAddParameter"));
    auto* remove = new QPushButton(tr("Remove"));
    spaceButtons->addWidget(m_addParam, 1);
    spaceButtons->addWidget(remove);
    spaceLayout->addLayout(spaceButtons);
    leftLayout->addWidget(spaceBox, 1);

    auto* form = new QFormLayout;
    m_strategy = new QComboBox;
    m_strategy->setObjectName(QStringLiteral("sweepStrategy"));
    m_strategy->addItem(tr("TPE (model-based)"), QStringLiteral("tpe"));
    m_strategy->addItem(tr("Random"), QStringLiteral("random"));
    m_strategy->addItem(tr("Grid"), QStringLiteral("grid"));
    m_trialsSpin = new QSpinBox;
    m_trialsSpin->setObjectName(QStringLiteral("sweepTrials"));
    m_trialsSpin->setRange(1, 10000);
    m_trialsSpin->setValue(20);
    m_epochsSpin = new QSpinBox;
    m_epochsSpin->setObjectName(QStringLiteral("sweepEpochs"));
    m_epochsSpin->setRange(1, 100000);
    m_prune = new QCheckBox(tr("Stop hopeless trials early (ASHA)"));
    m_prune->setObjectName(QStringLiteral("sweepPrune"));
    m_prune->setChecked(true);
    m_minEpochs = new QSpinBox;
    m_minEpochs->setObjectName(QStringLiteral("sweepMinEpochs"));
    m_minEpochs->setRange(1, 1000);
    m_seed = new QSpinBox;
    m_seed->setObjectName(QStringLiteral("sweepSeed"));
    m_seed->setRange(0, 1000000);
    form->addRow(tr("Strategy"), m_strategy);
    form->addRow(tr("Trials"), m_trialsSpin);
    form->addRow(tr("Epochs per trial"), m_epochsSpin);
    form->addRow(m_prune);
    form->addRow(tr("Minimum epochs before stopping"), m_minEpochs);
    form->addRow(tr("Seed"), m_seed);
    leftLayout->addLayout(form);
    auto* buttons = new QHBoxLayout;
    m_startButton = new QPushButton(tr("Start Sweep"));
    m_startButton->setObjectName(QStringLiteral("sweepStart"));
    m_pauseButton = new QPushButton(tr("Pause"));
    m_pauseButton->setObjectName(QStringLiteral("sweepPause"));
    m_stopButton = new QPushButton(tr("Stop"));
    m_stopButton->setObjectName(QStringLiteral("sweepStop"));
    buttons->addWidget(m_startButton);
    buttons->addWidget(m_pauseButton);
    buttons->addWidget(m_stopButton);
    leftLayout->addLayout(buttons);
    m_status = new QLabel(tr("Choose what to search, then Start Sweep."));
    m_status->setObjectName(QStringLiteral("sweepStatus"));
    m_status->setWordWrap(true);
    leftLayout->addWidget(m_status);

    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    m_table = new QTableWidget(0, 0);
    m_table->setObjectName(QStringLiteral("sweepTrialTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setSortingEnabled(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    rightLayout->addWidget(m_table, 2);
    auto* chartBar = new QHBoxLayout;
    chartBar->addWidget(new QLabel(tr("Show the top")));
    m_topPercent = new QSpinBox;
    m_topPercent->setObjectName(QStringLiteral("sweepTopPercent"));
    m_topPercent->setRange(1, 100);
    m_topPercent->setValue(100);
    m_topPercent->setSuffix(QStringLiteral(" %"));
    chartBar->addWidget(m_topPercent);
    chartBar->addWidget(new QLabel(tr("of trials")));
    chartBar->addStretch(1);
    m_applyButton = new QPushButton(tr("Apply Best to Project"));
    m_applyButton->setObjectName(QStringLiteral("sweepApplyBest"));
    m_applyButton->setEnabled(false);
    chartBar->addWidget(m_applyButton);
    rightLayout->addLayout(chartBar);
    m_parallel = new ParallelCoordinatesView;
    rightLayout->addWidget(m_parallel, 3);
    auto* lower = new QHBoxLayout;
    m_curves = new EpochCurvesView;
    m_importance = new ImportanceView;
    lower->addWidget(m_curves, 3);
    lower->addWidget(m_importance, 2);
    rightLayout->addLayout(lower, 2);

    auto* splitter = new QSplitter;
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({320, 680}); // the trial table and charts get the room
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter);

    connect(m_startButton, &QPushButton::clicked, this, &SweepTab::start);
    connect(m_pauseButton, &QPushButton::clicked, this, &SweepTab::togglePause);
    connect(m_stopButton, &QPushButton::clicked, this, &SweepTab::stop);
    connect(m_applyButton, &QPushButton::clicked, this, &SweepTab::applyBest);
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_space->currentRow() >= 0)
            m_space->removeRow(m_space->currentRow());
    });
    connect(m_addParam, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        if (index > 0)
            addParameter(m_addParam->itemData(index).toString());
        m_addParam->setCurrentIndex(0);
    });
    connect(m_topPercent, qOverload<int>(&QSpinBox::valueChanged), m_parallel, &ParallelCoordinatesView::setTopPercent);
    connect(m_doc->model(), &GraphModel::modelReset, this, &SweepTab::loadFromProject);
    connect(m_doc->model(), &GraphModel::nodeAdded, this, &SweepTab::suggestParameters);
    connect(m_doc->model(), &GraphModel::nodeRemoved, this, &SweepTab::suggestParameters);

    connect(m_session, &SweepSession::started, this, [this](const QString& id) {
        m_status->setText(tr("Sweep %1 running…").arg(id));
    });
    connect(m_session, &SweepSession::trialStarted, this, [this](const nc::TrialRecord& t) { upsertTrial(t, false); });
    connect(m_session, &SweepSession::trialEpoch, this,
            [this](const nc::TrialRecord& t, bool stopping) { upsertTrial(t, stopping); });
    connect(m_session, &SweepSession::trialFinished, this, [this](const nc::TrialRecord& t, const nc::Json& run) {
        upsertTrial(t, false);
        nc::Json runs = m_doc->model()->project().runs;
        runs.push_back(run);
        m_doc->model()->setRuns(runs);
        m_doc->undoStack()->resetClean(); // a run is not an undoable edit, but the file now differs
    });
    connect(m_session, &SweepSession::finished, this, [this](const nc::SweepSummary& s) {
        setRunning(false);
        if (const nc::TrialRecord* best = s.best())
            m_status->setText(tr("Sweep done (%1 trials, %2 epochs): best is trial %3 with validation accuracy %4.")
                                  .arg(s.trials.size())
                                  .arg(s.epochsTrained)
                                  .arg(best->number)
                                  .arg(best->bestValidationAccuracy, 0, 'f', 4));
        else
            m_status->setText(tr("Sweep ended without a finished trial."));
        Q_EMIT sweepFinished(s);
    });
    connect(m_session, &SweepSession::failed, this, [this](const QString& message) {
        setRunning(false);
        m_status->setText(tr("The sweep could not start: %1").arg(message));
    });
    loadFromProject();
    setRunning(false);
}

bool SweepTab::isRunning() const { return m_session->isRunning(); }

void SweepTab::suggestParameters() {
    m_addParam->clear();
    m_addParam->addItem(tr("Add parameter…"));
    for (const char* key : {"training.learning_rate", "training.batch_size", "training.optimizer",
                            "training.weight_decay", "training.epochs", "training.augment_rotation"})
        m_addParam->addItem(QString::fromLatin1(key), QString::fromLatin1(key));
    for (const nc::Node& n : m_doc->model()->graph().nodes()) {
        const char* param = n.type == "Conv2d"                            ? "out_channels"
                            : n.type == "Linear"                          ? "out_features"
                            : n.type == "Dropout" || n.type == "Dropout2d" ? "p"
                                                                          : nullptr;
        if (param) {
            const QString key = QString::fromStdString(n.id) + QLatin1Char('.') + QLatin1String(param);
            m_addParam->addItem(key, key);
        }
    }
}

void SweepTab::addParameter(const QString& key) {
    nc::SpaceParam p;
    p.key = key.toStdString();
    const nc::TrainConfig& cfg = m_doc->model()->project().training;
    if (key == QLatin1String("training.learning_rate")) {
        p.low = 1e-4, p.high = 1e-1, p.log = true;
    } else if (key == QLatin1String("training.weight_decay")) {
        p.low = 1e-6, p.high = 1e-2, p.log = true;
    } else if (key == QLatin1String("training.batch_size")) {
        p.kind = nc::SpaceParam::Kind::Choice, p.choices = {32, 64, 128};
    } else if (key == QLatin1String("training.optimizer")) {
        p.kind = nc::SpaceParam::Kind::Choice, p.choices = {"sgd", "adam", "adamw"};
    } else if (key == QLatin1String("training.epochs")) {
        p.kind = nc::SpaceParam::Kind::Int, p.low = 1, p.high = std::max(2, cfg.epochs);
    } else if (key.endsWith(QLatin1String(".out_channels")) || key.endsWith(QLatin1String(".out_features"))) {
        const nc::Node* n = m_doc->model()->node(key.section(QLatin1Char('.'), 0, 0));
        const double v = n ? n->params.value(key.endsWith(QLatin1String("channels")) ? "out_channels" : "out_features", 32) : 32;
        p.kind = nc::SpaceParam::Kind::Int, p.low = std::max(1.0, std::floor(v / 4)), p.high = v * 2, p.log = true;
    } else if (key.endsWith(QLatin1String(".p"))) {
        p.low = 0, p.high = 0.6;
    } else {
        p.low = 0, p.high = 30;
    }
    addRow(p);
}

void SweepTab::addRow(const nc::SpaceParam& param) {
    const int row = m_space->rowCount();
    m_space->insertRow(row);
    const bool choice = param.kind == nc::SpaceParam::Kind::Choice;
    auto* key = new QTableWidgetItem(QString::fromStdString(param.key));
    key->setData(kGridPointsRole, param.gridPoints);
    m_space->setItem(row, KeyColumn, key);
    m_space->setItem(row, TypeColumn, new QTableWidgetItem(choice ? QStringLiteral("choice")
                                                           : param.kind == nc::SpaceParam::Kind::Int ? QStringLiteral("int")
                                                                                                      : QStringLiteral("float")));
    m_space->setItem(row, LowColumn, new QTableWidgetItem(choice ? QString() : QString::number(param.low, 'g', 6)));
    m_space->setItem(row, HighColumn, new QTableWidgetItem(choice ? QString() : QString::number(param.high, 'g', 6)));
    const bool integer = param.kind == nc::SpaceParam::Kind::Int;
    m_space->setItem(row, StepColumn, new QTableWidgetItem(integer ? QString::number(param.step) : QString()));
    auto* log = new QTableWidgetItem;
    log->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
    log->setCheckState(param.log ? Qt::Checked : Qt::Unchecked);
    m_space->setItem(row, LogColumn, log);
    QStringList values;
    for (const nc::Json& v : param.choices)
        values << valueText(v);
    m_space->setItem(row, ValuesColumn, new QTableWidgetItem(values.join(QStringLiteral(", "))));
}

nc::SweepSpec SweepTab::spec() const {
    nc::SweepSpec s;
    s.name = "window";
    nc::Json params = nc::Json::array();
    for (int r = 0; r < m_space->rowCount(); ++r) {
        auto text = [&](int c) { return m_space->item(r, c) ? m_space->item(r, c)->text().trimmed() : QString(); };
        nc::Json p = {{"key", text(KeyColumn).toStdString()}, {"type", text(TypeColumn).toStdString()}};
        if (text(TypeColumn) == QLatin1String("choice")) {
            nc::Json values = nc::Json::array();
            for (const QString& v : text(ValuesColumn).split(QLatin1Char(','), Qt::SkipEmptyParts))
                values.push_back(parseValue(v.trimmed()));
            p["values"] = values;
        } else {
            const nc::Json low = parseValue(text(LowColumn)), high = parseValue(text(HighColumn));
            p["low"] = low;
            p["high"] = high;
            p["log"] = m_space->item(r, LogColumn) && m_space->item(r, LogColumn)->checkState() == Qt::Checked;
            if (text(TypeColumn) == QLatin1String("int") && !text(StepColumn).isEmpty())
                p["step"] = parseValue(text(StepColumn));
            else if (text(TypeColumn) == QLatin1String("float") && m_space->item(r, KeyColumn))
                p["grid_points"] = m_space->item(r, KeyColumn)->data(kGridPointsRole).toInt();
        }
        params.push_back(p);
    }
    s.space = nc::Space::fromJson(params); // throws nc::Error naming the row's key
    nc::parseStrategy(m_strategy->currentData().toString().toStdString(), s.strategy);
    s.trials = m_trialsSpin->value();
    s.prune = m_prune->isChecked();
    s.minEpochs = m_minEpochs->value();
    s.seed = std::uint64_t(m_seed->value());
    s.startupTrials = std::min(10, std::max(2, s.trials / 3));
    return s;
}

void SweepTab::setSpec(const nc::SweepSpec& spec) {
    m_space->setRowCount(0);
    for (const nc::SpaceParam& p : spec.space.params)
        addRow(p);
    m_strategy->setCurrentIndex(std::max(0, m_strategy->findData(QString::fromLatin1(nc::strategyName(spec.strategy)))));
    m_trialsSpin->setValue(std::max(1, spec.trials));
    m_prune->setChecked(spec.prune);
    m_minEpochs->setValue(spec.minEpochs);
    m_seed->setValue(int(spec.seed));
}

void SweepTab::loadFromProject() {
    suggestParameters();
    m_epochsSpin->setValue(m_doc->model()->project().training.epochs);
    try {
        const std::vector<nc::SweepSpec> stored = nc::parseProjectSweeps(m_doc->model()->project().sweeps);
        if (!stored.empty()) {
            setSpec(stored.front());
            return;
        }
    } catch (const std::exception&) { // a project with a bad sweep was refused on load already
    }
    nc::SweepSpec defaults;
    defaults.prune = true;
    setSpec(defaults);
    addParameter(QStringLiteral("training.learning_rate"));
}

void SweepTab::storeInProject(const nc::SweepSpec& spec) {
    nc::Project p = m_doc->model()->project();
    const nc::Json stored = nc::Json::array({spec.toJson()});
    if (p.sweeps == stored)
        return;
    m_doc->model()->setSweeps(stored);
    m_doc->undoStack()->resetClean();
}

void SweepTab::start() {
    if (m_session->isRunning())
        return;
    if (m_engine->isTraining()) {
        m_status->setText(tr("A training run is using the engine; stop it before starting a sweep."));
        return;
    }
    nc::SweepSpec s;
    try {
        s = spec();
    } catch (const std::exception& e) {
        m_status->setText(tr("The search space has a problem: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    storeInProject(s);
    nc::Project project = m_doc->model()->project();
    project.training.epochs = m_epochsSpin->value();
    const QString path = m_doc->filePath().isEmpty() ? QDir::temp().filePath(QStringLiteral("neuralcanvas-unsaved.ncproj"))
                                                     : m_doc->filePath();
    m_trials.clear();
    m_stoppedEarly.clear();
    m_runningSpace = s.space;
    m_table->setRowCount(0);
    QStringList headers = {tr("Trial"), tr("Status")};
    // Headers in two lines where they are long ("dense1" over "out_features"), so that every
    // column, the time included, fits beside the search space without a scrollbar.
    for (const nc::SpaceParam& p : s.space.params) {
        const std::string key = p.key.rfind("training.", 0) == 0 ? p.key.substr(9) : p.key;
        const std::size_t dot = key.rfind('.');
        headers << QString::fromStdString(dot == std::string::npos ? key : key.substr(0, dot) + "\n" + key.substr(dot + 1));
    }
    headers << tr("Best val.\naccuracy") << tr("Epochs") << tr("Time (s)");
    m_table->setColumnCount(int(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
    refreshCharts();
    setRunning(true);
    m_status->setText(tr("Loading the dataset…"));
    m_session->start(project, path, nc::datasetOptionsFor(project, path.toStdString()), s);
}

void SweepTab::togglePause() {
    if (!m_session->isRunning())
        return;
    if (m_session->isPaused()) {
        m_session->resume();
        m_pauseButton->setText(tr("Pause"));
    } else {
        m_session->pause();
        m_pauseButton->setText(tr("Resume"));
    }
}

void SweepTab::stop() {
    if (m_session->isRunning()) {
        m_session->stop();
        m_status->setText(tr("Stopping after the current batch…"));
    }
}

void SweepTab::setRunning(bool running) {
    m_startButton->setEnabled(!running);
    m_pauseButton->setEnabled(running);
    m_stopButton->setEnabled(running);
    m_space->setEnabled(!running);
    m_pauseButton->setText(tr("Pause"));
    m_applyButton->setEnabled(!running && bestIndex() >= 0);
    Q_EMIT runningChanged(running);
}

void SweepTab::upsertTrial(const nc::TrialRecord& trial, bool stopping) {
    if (stopping)
        m_stoppedEarly[trial.number] = true;
    auto it = std::find_if(m_trials.begin(), m_trials.end(), [&](const nc::TrialRecord& t) { return t.number == trial.number; });
    if (it == m_trials.end())
        m_trials.push_back(trial);
    else
        *it = trial;
    refreshTrialRow(trial);
    refreshCharts();
}

void SweepTab::refreshTrialRow(const nc::TrialRecord& t) {
    int row = -1;
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (m_table->item(r, 0) && m_table->item(r, 0)->text().toInt() == t.number)
            row = r;
    if (row < 0) {
        row = m_table->rowCount();
        m_table->insertRow(row);
    }
    int c = 0;
    auto set = [&](const QString& text) {
        auto* item = new QTableWidgetItem(text);
        if (t.state == nc::TrialState::Failed)
            item->setToolTip(QString::fromStdString(t.message));
        m_table->setItem(row, c++, item);
    };
    set(QString::number(t.number));
    // Status says "stopped early" (no column of its own, the table is wide enough already), from
    // the epoch the pruner stopped the trial, before its final record arrives.
    set(t.state == nc::TrialState::Running && m_stoppedEarly.count(t.number) ? stateText(nc::TrialState::Pruned)
                                                                            : stateText(t.state));
    for (const nc::SpaceParam& p : m_runningSpace.params)
        set(t.params.contains(p.key) ? valueText(t.params[p.key]) : QString());
    set(t.state == nc::TrialState::Failed ? QStringLiteral("—") : QString::number(t.bestValidationAccuracy, 'f', 4));
    set(t.maxEpochs > 0 ? QStringLiteral("%1 / %2").arg(t.epochs).arg(t.maxEpochs) : QString::number(t.epochs));
    set(QString::number(t.seconds, 'f', 1));
}

int SweepTab::bestIndex() const {
    int best = -1;
    for (std::size_t i = 0; i < m_trials.size(); ++i) {
        const nc::TrialRecord& t = m_trials[i];
        if ((t.state == nc::TrialState::Completed || t.state == nc::TrialState::Pruned) &&
            (best < 0 || t.bestValidationAccuracy > m_trials[std::size_t(best)].bestValidationAccuracy))
            best = int(i);
    }
    return best;
}

void SweepTab::refreshCharts() {
    m_parallel->setData(m_runningSpace, m_trials);
    m_curves->setTrials(m_trials);
    m_importance->setImportance(nc::parameterImportance(m_runningSpace, m_trials));
}

void SweepTab::applyBest() {
    const int index = bestIndex();
    if (index < 0)
        return;
    const nc::TrialRecord& best = m_trials[std::size_t(index)];
    GraphModel* model = m_doc->model();
    nc::Project after = model->project();
    try {
        nc::applyTrialParams(after, best.params);
    } catch (const std::exception& e) {
        m_status->setText(tr("The best values no longer fit the project: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    // One undo step: the training settings and every layer parameter the trial set.
    QUndoStack* stack = m_doc->undoStack();
    stack->beginMacro(tr("Apply best sweep values (trial %1)").arg(best.number));
    if (after.training.toJson() != model->project().training.toJson())
        stack->push(new SetTrainingCommand(model, QStringLiteral("sweep"), tr("Apply sweep training settings"),
                                           model->project().training, after.training));
    for (const nc::Node& n : after.graph.nodes()) {
        const nc::Node* now = model->node(QString::fromStdString(n.id));
        if (now && now->params != n.params)
            stack->push(new SetParamsCommand(model, QString::fromStdString(n.id), QStringLiteral("sweep"), now->params,
                                             n.params));
    }
    stack->endMacro();
    m_status->setText(tr("Applied trial %1's values to the project (Undo takes them back).").arg(best.number));
}

} // namespace nc::ui
