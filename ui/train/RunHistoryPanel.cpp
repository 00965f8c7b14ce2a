#include "train/RunHistoryPanel.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace nc::ui {

namespace {
QString str(const nc::Json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}
double num(const nc::Json& j, const char* key, double fallback = -1) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}
QString duration(double seconds) {
    if (seconds < 0)
        return QString();
    const int s = int(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1:%2:%3")
                           .arg(s / 3600)
                           .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
                           .arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

RunHistoryPanel::RunHistoryPanel(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("runHistory"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* title = new QLabel(tr("<b>Runs</b> — select two or more to compare their curves"), this);
    title->setWordWrap(true);
    layout->addWidget(title);
    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("runList"));
    m_list->setAccessibleName(tr("Run history"));
    m_list->setRootIsDecorated(false);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setHeaderLabels(
        {tr("Run"), tr("Status"), tr("Epochs"), tr("Best val. accuracy"), tr("Time"), tr("Device")});
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(m_list, 1);
    m_resume = new QPushButton(tr("Resume Selected Run"), this);
    m_resume->setObjectName(QStringLiteral("resumeRun"));
    m_resume->setToolTip(
        tr("Continue the selected run from its last checkpoint, up to the number of epochs set "
           "above"));
    m_openBest = new QPushButton(tr("Evaluate and Inspect Best Model"), this);
    m_openBest->setObjectName(QStringLiteral("openBestModel"));
    m_openBest->setToolTip(tr("Use the selected run's best model (best.ncmodel) in the Evaluate and Inspect tabs"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_resume);
    buttons->addWidget(m_openBest);
    layout->addLayout(buttons);
    connect(m_openBest, &QPushButton::clicked, this, [this] {
        const QList<int> rows = selectedRuns();
        if (rows.size() != 1 || rows.first() >= int(m_runs.size()))
            return;
        const nc::Json& run = m_runs[std::size_t(rows.first())];
        const QString path = modelPath(run);
        if (!path.isEmpty())
            Q_EMIT openModelRequested(path, modelLabel(run));
    });
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, [this] {
        updateButtons();
        Q_EMIT selectionChanged();
    });
    connect(m_resume, &QPushButton::clicked, this, [this] {
        const QList<int> rows = selectedRuns();
        if (rows.size() == 1)
            Q_EMIT resumeRequested(rows.first());
    });
    updateButtons();
}

QString RunHistoryPanel::runDir(const nc::Json& run) {
    return str(run, "dir");
}

QString RunHistoryPanel::modelPath(const nc::Json& run) {
    const QString dir = runDir(run);
    if (dir.isEmpty())
        return {};
    for (const char* name : {"/best.ncmodel", "/last.ncmodel"})
        if (QFileInfo(dir + QLatin1String(name)).isFile())
            return dir + QLatin1String(name);
    return {};
}

QString RunHistoryPanel::modelLabel(const nc::Json& run) {
    const QString id = runDir(run).section(QLatin1Char('/'), -1);
    return modelPath(run).endsWith(QLatin1String("/last.ncmodel")) ? tr("weights of run %1 when it stopped").arg(id)
                                                                    : tr("best model of run %1").arg(id);
}

int RunHistoryPanel::newestRunWithModel(const nc::Json& runs) {
    if (!runs.is_array())
        return -1;
    for (int i = int(runs.size()) - 1; i >= 0; --i)
        if (runs[std::size_t(i)].is_object() && !modelPath(runs[std::size_t(i)]).isEmpty())
            return i;
    return -1;
}

QString RunHistoryPanel::statusText(const nc::Json& run, bool live) {
    if (live)
        return tr("training");
    const auto result = run.find("result");
    if (result == run.end() || !result->is_object())
        return run.value("imported", false) ? tr("training elsewhere") : tr("interrupted");
    const QString reason = str(*result, "reason");
    if (reason == QLatin1String("completed"))
        return tr("completed");
    if (reason == QLatin1String("stopped"))
        return tr("stopped");
    if (reason == QLatin1String("early-stopped"))
        return tr("stopped early");
    if (reason == QLatin1String("failed"))
        return tr("failed");
    return reason;
}

void RunHistoryPanel::setRuns(const nc::Json& runs, const QString& liveId) {
    const QList<int> selected = selectedRuns();
    const QSignalBlocker quiet(m_list);
    m_runs = runs.is_array() ? runs : nc::Json::array();
    m_list->clear();
    for (int i = int(m_runs.size()) - 1; i >= 0; --i) { // newest first
        const nc::Json& run = m_runs[std::size_t(i)];
        const nc::Json result =
            run.contains("result") && run["result"].is_object() ? run["result"] : nc::Json::object();
        const nc::Json config =
            run.contains("config") && run["config"].is_object() ? run["config"] : nc::Json::object();
        const QString id = str(run, "id");
        const bool live = !liveId.isEmpty() && id == liveId;
        auto* item = new QTreeWidgetItem(m_list);
        item->setData(0, Qt::UserRole, i);
        item->setText(0, id);
        item->setText(1, statusText(run, live));
        // A run stopped in the middle of an epoch shows how far into it it got (1.4/3 epochs).
        double done = num(result, "epochs_done");
        const double partial = num(result, "batch_in_epoch", 0), perEpoch = num(result, "batches_per_epoch", 0);
        const bool midEpoch = done >= 0 && partial > 0 && perEpoch > 0;
        if (midEpoch)
            done += partial / perEpoch;
        const double planned = num(config, "epochs");
        const QString doneText = midEpoch ? QString::number(done, 'f', 2) : QString::number(done);
        item->setText(2, done >= 0 ? (planned > 0 ? QStringLiteral("%1/%2").arg(doneText).arg(planned) : doneText)
                                   : QString());
        if (midEpoch)
            item->setToolTip(2, tr("Stopped in epoch %1 after batch %2 of %3; Resume continues from there")
                                    .arg(int(num(result, "epochs_done")) + 1)
                                    .arg(qint64(partial))
                                    .arg(qint64(perEpoch)));
        // The best epoch's validation accuracy; before any epoch ended, that of the weights when
        // the run stopped (last.ncmodel), marked as such.
        const double best = num(result, "best_epoch", 0) > 0 ? num(result, "best_val_accuracy") : -1;
        const double atStop = num(result, "stop_val_accuracy");
        if (best >= 0 && result.is_object() && result.contains("best_val_loss")) { // a generative run
            item->setText(3, tr("%1 nats").arg(num(result, "best_val_loss"), 0, 'f', 2));
            item->setToolTip(3, tr("Validation loss (the sum of the network's loss nodes) per image"));
        } else if (best >= 0)
            item->setText(3, QStringLiteral("%1%").arg(best * 100, 0, 'f', 2));
        else if (atStop >= 0) {
            item->setText(3, tr("%1% (at stop)").arg(atStop * 100, 0, 'f', 2));
            item->setToolTip(3, tr("Validation accuracy of the weights when the run stopped (last.ncmodel); no "
                                   "epoch had ended yet"));
        } else {
            item->setText(3, QString());
        }
        item->setText(4, duration(num(result, "seconds")));
        item->setText(5, str(config, "device"));
        item->setToolTip(0, runDir(run));
        const QString message = str(result, "message");
        if (!message.isEmpty())
            item->setToolTip(1, message);
        if (selected.contains(i))
            item->setSelected(true);
    }
    updateButtons();
}

QList<int> RunHistoryPanel::selectedRuns() const {
    QList<int> rows;
    for (int r = 0; r < m_list->topLevelItemCount(); ++r)
        if (m_list->topLevelItem(r)->isSelected())
            rows.append(m_list->topLevelItem(r)->data(0, Qt::UserRole).toInt());
    return rows;
}

void RunHistoryPanel::selectRun(int index) {
    for (int r = 0; r < m_list->topLevelItemCount(); ++r) {
        QTreeWidgetItem* item = m_list->topLevelItem(r);
        if (item->data(0, Qt::UserRole).toInt() == index) {
            m_list->setCurrentItem(item);
            return;
        }
    }
}

int RunHistoryPanel::rowCount() const {
    return m_list->topLevelItemCount();
}

QString RunHistoryPanel::cellText(int row, int column) const {
    const QTreeWidgetItem* item = m_list->topLevelItem(row);
    return item ? item->text(column) : QString();
}

void RunHistoryPanel::setResumeAllowed(bool allowed) {
    m_resumeAllowed = allowed;
    updateButtons();
}

void RunHistoryPanel::updateButtons() {
    const QList<int> rows = selectedRuns();
    bool resumable = false;
    if (rows.size() == 1 && rows.first() < int(m_runs.size()))
        resumable =
            QFileInfo::exists(runDir(m_runs[std::size_t(rows.first())]) + QStringLiteral("/last.ncckpt"));
    m_resume->setEnabled(m_resumeAllowed && resumable);
    m_openBest->setEnabled(rows.size() == 1 && rows.first() < int(m_runs.size()) &&
                           !modelPath(m_runs[std::size_t(rows.first())]).isEmpty());
}

} // namespace nc::ui
