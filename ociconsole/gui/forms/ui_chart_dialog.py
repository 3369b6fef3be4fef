# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'chart_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QRadioButton, QSizePolicy, QSpacerItem, QStackedWidget,
    QVBoxLayout, QWidget)

from ociconsole.gui.widgets import NumberEdit

class Ui_ChartDialog(object):
    def setupUi(self, ChartDialog):
        if not ChartDialog.objectName():
            ChartDialog.setObjectName(u"ChartDialog")
        ChartDialog.resize(660, 380)
        ChartDialog.setModal(True)
        self.mainLayout = QVBoxLayout(ChartDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.mainLayout.setContentsMargins(16, 14, 16, 12)
        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.formLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.formLayout.setLabelAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)
        self.titleLabel = QLabel(ChartDialog)
        self.titleLabel.setObjectName(u"titleLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.titleLabel)

        self.title = QLineEdit(ChartDialog)
        self.title.setObjectName(u"title")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.title)

        self.compartmentLabel = QLabel(ChartDialog)
        self.compartmentLabel.setObjectName(u"compartmentLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.compartmentLabel)

        self.compartmentRow = QHBoxLayout()
        self.compartmentRow.setObjectName(u"compartmentRow")
        self.compartment = QComboBox(ChartDialog)
        self.compartment.setObjectName(u"compartment")
        self.compartment.setMinimumContentsLength(28)

        self.compartmentRow.addWidget(self.compartment)

        self.subtree = QCheckBox(ChartDialog)
        self.subtree.setObjectName(u"subtree")

        self.compartmentRow.addWidget(self.subtree)

        self.compartmentRow.setStretch(0, 1)

        self.formLayout.setLayout(1, QFormLayout.ItemRole.FieldRole, self.compartmentRow)

        self.namespaceLabel = QLabel(ChartDialog)
        self.namespaceLabel.setObjectName(u"namespaceLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.namespaceLabel)

        self.namespace = QComboBox(ChartDialog)
        self.namespace.setObjectName(u"namespace")
        self.namespace.setMinimumContentsLength(24)

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.namespace)

        self.queryLabel = QLabel(ChartDialog)
        self.queryLabel.setObjectName(u"queryLabel")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.queryLabel)

        self.modeRow = QHBoxLayout()
        self.modeRow.setObjectName(u"modeRow")
        self.modeBuilder = QRadioButton(ChartDialog)
        self.modeBuilder.setObjectName(u"modeBuilder")

        self.modeRow.addWidget(self.modeBuilder)

        self.modeMql = QRadioButton(ChartDialog)
        self.modeMql.setObjectName(u"modeMql")

        self.modeRow.addWidget(self.modeMql)

        self.modeSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.modeRow.addItem(self.modeSpacer)

        self.modeRow.setStretch(2, 1)

        self.formLayout.setLayout(3, QFormLayout.ItemRole.FieldRole, self.modeRow)


        self.mainLayout.addLayout(self.formLayout)

        self.pages = QStackedWidget(ChartDialog)
        self.pages.setObjectName(u"pages")
        self.builderPage = QWidget()
        self.builderPage.setObjectName(u"builderPage")
        self.builderForm = QFormLayout(self.builderPage)
        self.builderForm.setObjectName(u"builderForm")
        self.builderForm.setLabelAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)
        self.builderForm.setContentsMargins(0, 0, 0, 0)
        self.metricLabel = QLabel(self.builderPage)
        self.metricLabel.setObjectName(u"metricLabel")

        self.builderForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.metricLabel)

        self.metric = QComboBox(self.builderPage)
        self.metric.setObjectName(u"metric")
        self.metric.setMinimumContentsLength(24)

        self.builderForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.metric)

        self.dimensionsLabel = QLabel(self.builderPage)
        self.dimensionsLabel.setObjectName(u"dimensionsLabel")

        self.builderForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.dimensionsLabel)

        self.dimensionsLayout = QVBoxLayout()
        self.dimensionsLayout.setObjectName(u"dimensionsLayout")
        self.filtersLayout = QVBoxLayout()
        self.filtersLayout.setSpacing(4)
        self.filtersLayout.setObjectName(u"filtersLayout")

        self.dimensionsLayout.addLayout(self.filtersLayout)

        self.addFilterRow = QHBoxLayout()
        self.addFilterRow.setObjectName(u"addFilterRow")
        self.addFilter = QPushButton(self.builderPage)
        self.addFilter.setObjectName(u"addFilter")
        self.addFilter.setAutoDefault(False)

        self.addFilterRow.addWidget(self.addFilter)

        self.addFilterSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.addFilterRow.addItem(self.addFilterSpacer)

        self.addFilterRow.setStretch(1, 1)

        self.dimensionsLayout.addLayout(self.addFilterRow)


        self.builderForm.setLayout(1, QFormLayout.ItemRole.FieldRole, self.dimensionsLayout)

        self.statisticLabel = QLabel(self.builderPage)
        self.statisticLabel.setObjectName(u"statisticLabel")

        self.builderForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.statisticLabel)

        self.statisticRow = QHBoxLayout()
        self.statisticRow.setObjectName(u"statisticRow")
        self.statistic = QComboBox(self.builderPage)
        self.statistic.setObjectName(u"statistic")

        self.statisticRow.addWidget(self.statistic)

        self.intervalLabel = QLabel(self.builderPage)
        self.intervalLabel.setObjectName(u"intervalLabel")

        self.statisticRow.addWidget(self.intervalLabel)

        self.interval = QComboBox(self.builderPage)
        self.interval.setObjectName(u"interval")

        self.statisticRow.addWidget(self.interval)

        self.statisticSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.statisticRow.addItem(self.statisticSpacer)

        self.statisticRow.setStretch(3, 1)

        self.builderForm.setLayout(2, QFormLayout.ItemRole.FieldRole, self.statisticRow)

        self.groupByLabel = QLabel(self.builderPage)
        self.groupByLabel.setObjectName(u"groupByLabel")

        self.builderForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.groupByLabel)

        self.group_by = QComboBox(self.builderPage)
        self.group_by.setObjectName(u"group_by")

        self.builderForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.group_by)

        self.generated = QLabel(self.builderPage)
        self.generated.setObjectName(u"generated")
        self.generated.setWordWrap(True)
        self.generated.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.builderForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.generated)

        self.pages.addWidget(self.builderPage)
        self.mqlPage = QWidget()
        self.mqlPage.setObjectName(u"mqlPage")
        self.mqlLayout = QVBoxLayout(self.mqlPage)
        self.mqlLayout.setObjectName(u"mqlLayout")
        self.mqlLayout.setContentsMargins(0, 0, 0, 0)
        self.mql = QPlainTextEdit(self.mqlPage)
        self.mql.setObjectName(u"mql")

        self.mqlLayout.addWidget(self.mql)

        self.mqlHelp = QLabel(self.mqlPage)
        self.mqlHelp.setObjectName(u"mqlHelp")
        self.mqlHelp.setAlignment(Qt.AlignmentFlag.AlignLeading|Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)
        self.mqlHelp.setWordWrap(True)
        self.mqlHelp.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.mqlLayout.addWidget(self.mqlHelp)

        self.pages.addWidget(self.mqlPage)

        self.mainLayout.addWidget(self.pages)

        self.mqlError = QLabel(ChartDialog)
        self.mqlError.setObjectName(u"mqlError")
        self.mqlError.setTextFormat(Qt.TextFormat.RichText)
        self.mqlError.setWordWrap(True)
        self.mqlError.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.mainLayout.addWidget(self.mqlError)

        self.mqlCaret = QLabel(ChartDialog)
        self.mqlCaret.setObjectName(u"mqlCaret")
        self.mqlCaret.setTextFormat(Qt.TextFormat.PlainText)
        self.mqlCaret.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.mainLayout.addWidget(self.mqlCaret)

        self.thresholdRow = QHBoxLayout()
        self.thresholdRow.setObjectName(u"thresholdRow")
        self.thresholdOn = QCheckBox(ChartDialog)
        self.thresholdOn.setObjectName(u"thresholdOn")

        self.thresholdRow.addWidget(self.thresholdOn)

        self.threshold = NumberEdit(ChartDialog)
        self.threshold.setObjectName(u"threshold")

        self.thresholdRow.addWidget(self.threshold)

        self.thresholdSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.thresholdRow.addItem(self.thresholdSpacer)

        self.thresholdRow.setStretch(2, 1)

        self.mainLayout.addLayout(self.thresholdRow)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.bottomSpacer)

        self.status = QLabel(ChartDialog)
        self.status.setObjectName(u"status")
        self.status.setWordWrap(True)

        self.mainLayout.addWidget(self.status)

        self.buttons = QDialogButtonBox(ChartDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.mainLayout.addWidget(self.buttons)

        self.mainLayout.setStretch(5, 1)
#if QT_CONFIG(shortcut)
        self.titleLabel.setBuddy(self.title)
        self.compartmentLabel.setBuddy(self.compartment)
        self.namespaceLabel.setBuddy(self.namespace)
        self.metricLabel.setBuddy(self.metric)
        self.statisticLabel.setBuddy(self.statistic)
        self.intervalLabel.setBuddy(self.interval)
        self.groupByLabel.setBuddy(self.group_by)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.title, self.compartment)
        QWidget.setTabOrder(self.compartment, self.subtree)
        QWidget.setTabOrder(self.subtree, self.namespace)
        QWidget.setTabOrder(self.namespace, self.modeBuilder)
        QWidget.setTabOrder(self.modeBuilder, self.modeMql)
        QWidget.setTabOrder(self.modeMql, self.metric)
        QWidget.setTabOrder(self.metric, self.addFilter)
        QWidget.setTabOrder(self.addFilter, self.statistic)
        QWidget.setTabOrder(self.statistic, self.interval)
        QWidget.setTabOrder(self.interval, self.group_by)
        QWidget.setTabOrder(self.group_by, self.mql)
        QWidget.setTabOrder(self.mql, self.thresholdOn)
        QWidget.setTabOrder(self.thresholdOn, self.threshold)

        self.retranslateUi(ChartDialog)

        QMetaObject.connectSlotsByName(ChartDialog)
    # setupUi

    def retranslateUi(self, ChartDialog):
        ChartDialog.setWindowTitle(QCoreApplication.translate("ChartDialog", u"Add chart", None))
        self.titleLabel.setText(QCoreApplication.translate("ChartDialog", u"&Title:", None))
        self.title.setPlaceholderText(QCoreApplication.translate("ChartDialog", u"Chart title (default: the metric)", None))
        self.compartmentLabel.setText(QCoreApplication.translate("ChartDialog", u"&Compartment:", None))
        self.subtree.setText(QCoreApplication.translate("ChartDialog", u"Include &subcompartments", None))
        self.namespaceLabel.setText(QCoreApplication.translate("ChartDialog", u"&Namespace:", None))
        self.queryLabel.setText(QCoreApplication.translate("ChartDialog", u"Query:", None))
        self.modeBuilder.setText(QCoreApplication.translate("ChartDialog", u"&Builder", None))
        self.modeMql.setText(QCoreApplication.translate("ChartDialog", u"M&QL", None))
        self.metricLabel.setText(QCoreApplication.translate("ChartDialog", u"&Metric:", None))
        self.dimensionsLabel.setText(QCoreApplication.translate("ChartDialog", u"Dimensions:", None))
        self.addFilter.setText(QCoreApplication.translate("ChartDialog", u"Add &filter", None))
        self.statisticLabel.setText(QCoreApplication.translate("ChartDialog", u"St&atistic:", None))
        self.intervalLabel.setText(QCoreApplication.translate("ChartDialog", u"  &Interval", None))
        self.groupByLabel.setText(QCoreApplication.translate("ChartDialog", u"&Group by:", None))
#if QT_CONFIG(accessibility)
        self.mql.setAccessibleName(QCoreApplication.translate("ChartDialog", u"MQL query", None))
#endif // QT_CONFIG(accessibility)
        self.mql.setPlaceholderText(QCoreApplication.translate("ChartDialog", u"CpuUtilization[1m]{availabilityDomain =~ \"*AD-1\"}.groupBy(resourceId).mean()", None))
        self.mqlHelp.setText(QCoreApplication.translate("ChartDialog", u"Metric[interval]{dimension filters}.groupBy(dimension).statistic() \u2014 the namespace and compartment above apply", None))
        self.thresholdOn.setText(QCoreApplication.translate("ChartDialog", u"T&hreshold line at", None))
#if QT_CONFIG(accessibility)
        self.threshold.setAccessibleName(QCoreApplication.translate("ChartDialog", u"Threshold value", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

