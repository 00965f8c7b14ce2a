#include "panels/ProblemsPanel.h"

#include "model/GraphModel.h"

#include <QApplication>
#include <QStyle>

namespace nc::ui {

namespace {
constexpr int kNodeRole = Qt::UserRole + 1;
}

ProblemsPanel::ProblemsPanel(GraphModel* model, QWidget* parent) : QListWidget(parent), m_model(model) {
    setObjectName(QStringLiteral("problems"));
    setAccessibleName(tr("Problems"));
    setWordWrap(true);
    setAlternatingRowColors(true);
    connect(model, &GraphModel::analysisChanged, this, &ProblemsPanel::refresh);
    // Single click is enough: the user wants to see the layer, not open something.
    connect(this, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        const QString id = item->data(kNodeRole).toString();
        if (!id.isEmpty())
            Q_EMIT problemActivated(id);
    });
    connect(this, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        const QString id = item->data(kNodeRole).toString();
        if (!id.isEmpty())
            Q_EMIT problemActivated(id);
    });
    refresh();
}

void ProblemsPanel::refresh() {
    const auto& problems = m_model->analysis().problems;
    clear();
    const QIcon errorIcon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    for (const nc::Problem& p : problems) {
        auto* item = new QListWidgetItem(errorIcon, QString::fromStdString(p.message), this);
        item->setData(kNodeRole, QString::fromStdString(p.nodeId));
        item->setToolTip(item->text());
    }
    if (problems.empty()) {
        auto* item = new QListWidgetItem(style()->standardIcon(QStyle::SP_DialogApplyButton),
                                         tr("No problems: the network can be trained."), this);
        item->setFlags(Qt::ItemIsEnabled);
    }
    const int count = static_cast<int>(problems.size());
    if (count != m_count) {
        m_count = count;
        Q_EMIT countChanged(count);
    }
}

} // namespace nc::ui
