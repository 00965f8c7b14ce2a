#include "train/PrecisionLabel.h"

namespace nc::ui {

PrecisionLabel::PrecisionLabel(QWidget* parent) : QLabel(parent) {
    setObjectName(QStringLiteral("trainPrecisionInfo"));
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
}

QString PrecisionLabel::describe(const nc::PrecisionChoice& c) const {
    const QString feature = QString::fromStdString(c.nativeFeature);
    const bool bf16 = c.precision == nc::Precision::BF16;
    const QString what = bf16 ? tr("bfloat16 (mixed; loss, softmax and optimizer state in 32-bit)") : tr("32-bit float");
    QString why;
    if (c.requested == nc::Precision::Auto) {
        if (!c.onCpu)
            why = tr("automatic: bfloat16 autocast runs on the CPU only");
        else if (bf16)
            why = tr("automatic: this CPU runs bfloat16 natively (%1)").arg(feature);
        else
            why = tr("automatic: this CPU has no native bfloat16 (avx512_bf16 or AMX), where it would be slower");
    } else {
        why = tr("as set");
        if (bf16 && c.onCpu && feature.isEmpty())
            why = tr("as set; this CPU has no native bfloat16, so expect it to be slower than 32-bit float");
    }
    return tr("Precision: %1 — %2").arg(what, why);
}

void PrecisionLabel::showPlanned(const nc::TrainConfig& config) { showRun(nc::choosePrecision(config)); }

void PrecisionLabel::showRun(const nc::PrecisionChoice& choice) {
    m_precision = choice.precision;
    setText(describe(choice));
    setToolTip(QString::fromStdString(choice.reason));
}

void PrecisionLabel::showFallback(const nc::PrecisionChoice& choice) {
    m_precision = choice.precision;
    setText(tr("Precision: 32-bit float — the bfloat16 loss went non-finite, so the run went back to its last "
               "checkpoint and goes on in 32-bit float"));
    setToolTip(QString::fromStdString(choice.reason));
}

} // namespace nc::ui
