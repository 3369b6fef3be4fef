# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'nfs_wizard.ui'
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
from PySide6.QtWidgets import (QApplication, QButtonGroup, QComboBox, QFormLayout,
    QFrame, QGridLayout, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QRadioButton, QSizePolicy,
    QSpacerItem, QTabWidget, QVBoxLayout, QWidget,
    QWizard, QWizardPage)

from ociconsole.gui.widgets import CodeView

class Ui_NfsWizard(object):
    def setupUi(self, NfsWizard):
        if not NfsWizard.objectName():
            NfsWizard.setObjectName(u"NfsWizard")
        NfsWizard.resize(860, 580)
        NfsWizard.setModal(True)
        NfsWizard.setSizeGripEnabled(True)
        NfsWizard.setWizardStyle(QWizard.ClassicStyle)
        NfsWizard.setOptions(QWizard.NoBackButtonOnStartPage|QWizard.NoBackButtonOnLastPage|QWizard.NoCancelButtonOnLastPage)
        self.fsPage = QWizardPage()
        self.fsPage.setObjectName(u"fsPage")
        self.fsPageLayout = QVBoxLayout(self.fsPage)
        self.fsPageLayout.setSpacing(10)
        self.fsPageLayout.setObjectName(u"fsPageLayout")
        self.fsGrid = QGridLayout()
        self.fsGrid.setObjectName(u"fsGrid")
        self.fsGrid.setHorizontalSpacing(12)
        self.fsGrid.setVerticalSpacing(8)
        self.fsNameLabel = QLabel(self.fsPage)
        self.fsNameLabel.setObjectName(u"fsNameLabel")
        self.fsNameLabel.setAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.fsGrid.addWidget(self.fsNameLabel, 0, 0, 1, 1)

        self.fsName = QLineEdit(self.fsPage)
        self.fsName.setObjectName(u"fsName")

        self.fsGrid.addWidget(self.fsName, 0, 1, 1, 1)

        self.fsNameError = QLabel(self.fsPage)
        self.fsNameError.setObjectName(u"fsNameError")

        self.fsGrid.addWidget(self.fsNameError, 1, 1, 1, 1)

        self.compartmentLabel = QLabel(self.fsPage)
        self.compartmentLabel.setObjectName(u"compartmentLabel")
        self.compartmentLabel.setAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.fsGrid.addWidget(self.compartmentLabel, 2, 0, 1, 1)

        self.compartment = QComboBox(self.fsPage)
        self.compartment.setObjectName(u"compartment")

        self.fsGrid.addWidget(self.compartment, 2, 1, 1, 1)

        self.adLabel = QLabel(self.fsPage)
        self.adLabel.setObjectName(u"adLabel")
        self.adLabel.setAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.fsGrid.addWidget(self.adLabel, 3, 0, 1, 1)

        self.ad = QComboBox(self.fsPage)
        self.ad.setObjectName(u"ad")

        self.fsGrid.addWidget(self.ad, 3, 1, 1, 1)

        self.adHelp = QLabel(self.fsPage)
        self.adHelp.setObjectName(u"adHelp")
        self.adHelp.setWordWrap(True)

        self.fsGrid.addWidget(self.adHelp, 4, 1, 1, 1)

        self.fsGrid.setColumnStretch(1, 1)

        self.fsPageLayout.addLayout(self.fsGrid)

        self.fsSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.fsPageLayout.addItem(self.fsSpacer)

        NfsWizard.addPage(self.fsPage)
        self.mtPage = QWizardPage()
        self.mtPage.setObjectName(u"mtPage")
        self.mtPageLayout = QVBoxLayout(self.mtPage)
        self.mtPageLayout.setSpacing(10)
        self.mtPageLayout.setObjectName(u"mtPageLayout")
        self.mtNew = QRadioButton(self.mtPage)
        self.mtGroup = QButtonGroup(NfsWizard)
        self.mtGroup.setObjectName(u"mtGroup")
        self.mtGroup.addButton(self.mtNew)
        self.mtNew.setObjectName(u"mtNew")
        self.mtNew.setChecked(True)

        self.mtPageLayout.addWidget(self.mtNew)

        self.newBox = QWidget(self.mtPage)
        self.newBox.setObjectName(u"newBox")
        self.newForm = QFormLayout(self.newBox)
        self.newForm.setObjectName(u"newForm")
        self.newForm.setContentsMargins(24, 0, 0, 0)
        self.mtNameLabel = QLabel(self.newBox)
        self.mtNameLabel.setObjectName(u"mtNameLabel")

        self.newForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.mtNameLabel)

        self.mtName = QLineEdit(self.newBox)
        self.mtName.setObjectName(u"mtName")

        self.newForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.mtName)

        self.vcnLabel = QLabel(self.newBox)
        self.vcnLabel.setObjectName(u"vcnLabel")

        self.newForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.vcnLabel)

        self.vcn = QComboBox(self.newBox)
        self.vcn.setObjectName(u"vcn")

        self.newForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.vcn)

        self.subnetLabel = QLabel(self.newBox)
        self.subnetLabel.setObjectName(u"subnetLabel")

        self.newForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.subnetLabel)

        self.subnet = QComboBox(self.newBox)
        self.subnet.setObjectName(u"subnet")

        self.newForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.subnet)

        self.mtHelp = QLabel(self.newBox)
        self.mtHelp.setObjectName(u"mtHelp")
        self.mtHelp.setWordWrap(True)

        self.newForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.mtHelp)


        self.mtPageLayout.addWidget(self.newBox)

        self.mtExisting = QRadioButton(self.mtPage)
        self.mtGroup.addButton(self.mtExisting)
        self.mtExisting.setObjectName(u"mtExisting")

        self.mtPageLayout.addWidget(self.mtExisting)

        self.existingBox = QWidget(self.mtPage)
        self.existingBox.setObjectName(u"existingBox")
        self.existingForm = QFormLayout(self.existingBox)
        self.existingForm.setObjectName(u"existingForm")
        self.existingForm.setContentsMargins(24, 0, 0, 0)
        self.existingLabel = QLabel(self.existingBox)
        self.existingLabel.setObjectName(u"existingLabel")

        self.existingForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.existingLabel)

        self.existing = QComboBox(self.existingBox)
        self.existing.setObjectName(u"existing")

        self.existingForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.existing)


        self.mtPageLayout.addWidget(self.existingBox)

        self.mtError = QLabel(self.mtPage)
        self.mtError.setObjectName(u"mtError")
        self.mtError.setWordWrap(True)

        self.mtPageLayout.addWidget(self.mtError)

        self.mtSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mtPageLayout.addItem(self.mtSpacer)

        NfsWizard.addPage(self.mtPage)
        self.exportPage = QWizardPage()
        self.exportPage.setObjectName(u"exportPage")
        self.exportPageLayout = QVBoxLayout(self.exportPage)
        self.exportPageLayout.setSpacing(10)
        self.exportPageLayout.setObjectName(u"exportPageLayout")
        self.exportGrid = QGridLayout()
        self.exportGrid.setObjectName(u"exportGrid")
        self.exportGrid.setHorizontalSpacing(12)
        self.exportGrid.setVerticalSpacing(8)
        self.exportPathLabel = QLabel(self.exportPage)
        self.exportPathLabel.setObjectName(u"exportPathLabel")
        self.exportPathLabel.setAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.exportGrid.addWidget(self.exportPathLabel, 0, 0, 1, 1)

        self.exportPath = QLineEdit(self.exportPage)
        self.exportPath.setObjectName(u"exportPath")

        self.exportGrid.addWidget(self.exportPath, 0, 1, 1, 1)

        self.pathError = QLabel(self.exportPage)
        self.pathError.setObjectName(u"pathError")

        self.exportGrid.addWidget(self.pathError, 1, 1, 1, 1)

        self.pathHelp = QLabel(self.exportPage)
        self.pathHelp.setObjectName(u"pathHelp")
        self.pathHelp.setWordWrap(True)

        self.exportGrid.addWidget(self.pathHelp, 2, 1, 1, 1)

        self.mountPreviewLabel = QLabel(self.exportPage)
        self.mountPreviewLabel.setObjectName(u"mountPreviewLabel")
        self.mountPreviewLabel.setAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.exportGrid.addWidget(self.mountPreviewLabel, 3, 0, 1, 1)

        self.mountPreview = QLabel(self.exportPage)
        self.mountPreview.setObjectName(u"mountPreview")

        self.exportGrid.addWidget(self.mountPreview, 3, 1, 1, 1)

        self.exportHelp = QLabel(self.exportPage)
        self.exportHelp.setObjectName(u"exportHelp")
        self.exportHelp.setWordWrap(True)

        self.exportGrid.addWidget(self.exportHelp, 4, 1, 1, 1)

        self.exportGrid.setColumnStretch(1, 1)

        self.exportPageLayout.addLayout(self.exportGrid)

        self.exportSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.exportPageLayout.addItem(self.exportSpacer)

        NfsWizard.addPage(self.exportPage)
        self.reviewPage = QWizardPage()
        self.reviewPage.setObjectName(u"reviewPage")
        self.reviewPageLayout = QVBoxLayout(self.reviewPage)
        self.reviewPageLayout.setSpacing(10)
        self.reviewPageLayout.setObjectName(u"reviewPageLayout")
        self.summaryBox = QFrame(self.reviewPage)
        self.summaryBox.setObjectName(u"summaryBox")
        self.summaryBox.setFrameShape(QFrame.StyledPanel)
        self.summary = QFormLayout(self.summaryBox)
        self.summary.setObjectName(u"summary")
        self.summary.setLabelAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.reviewPageLayout.addWidget(self.summaryBox)

        self.codeTabs = QTabWidget(self.reviewPage)
        self.codeTabs.setObjectName(u"codeTabs")
        self.cliTab = QWidget()
        self.cliTab.setObjectName(u"cliTab")
        self.cliTabLayout = QVBoxLayout(self.cliTab)
        self.cliTabLayout.setObjectName(u"cliTabLayout")
        self.cliTabLayout.setContentsMargins(0, 0, 0, 0)
        self.cliView = CodeView(self.cliTab)
        self.cliView.setObjectName(u"cliView")

        self.cliTabLayout.addWidget(self.cliView)

        self.codeTabs.addTab(self.cliTab, "")
        self.pythonTab = QWidget()
        self.pythonTab.setObjectName(u"pythonTab")
        self.pythonTabLayout = QVBoxLayout(self.pythonTab)
        self.pythonTabLayout.setObjectName(u"pythonTabLayout")
        self.pythonTabLayout.setContentsMargins(0, 0, 0, 0)
        self.pythonView = CodeView(self.pythonTab)
        self.pythonView.setObjectName(u"pythonView")

        self.pythonTabLayout.addWidget(self.pythonView)

        self.codeTabs.addTab(self.pythonTab, "")

        self.reviewPageLayout.addWidget(self.codeTabs)

        self.reviewPageLayout.setStretch(1, 1)
        NfsWizard.addPage(self.reviewPage)
        self.runPage = QWizardPage()
        self.runPage.setObjectName(u"runPage")
        self.runPageLayout = QVBoxLayout(self.runPage)
        self.runPageLayout.setSpacing(10)
        self.runPageLayout.setObjectName(u"runPageLayout")
        self.stepGrid = QGridLayout()
        self.stepGrid.setObjectName(u"stepGrid")
        self.stepGrid.setHorizontalSpacing(10)
        self.fsStepIcon = QLabel(self.runPage)
        self.fsStepIcon.setObjectName(u"fsStepIcon")

        self.stepGrid.addWidget(self.fsStepIcon, 0, 0, 1, 1)

        self.fsStepLabel = QLabel(self.runPage)
        self.fsStepLabel.setObjectName(u"fsStepLabel")

        self.stepGrid.addWidget(self.fsStepLabel, 0, 1, 1, 1)

        self.fsStepDetail = QLabel(self.runPage)
        self.fsStepDetail.setObjectName(u"fsStepDetail")

        self.stepGrid.addWidget(self.fsStepDetail, 0, 2, 1, 1)

        self.mtStepIcon = QLabel(self.runPage)
        self.mtStepIcon.setObjectName(u"mtStepIcon")

        self.stepGrid.addWidget(self.mtStepIcon, 1, 0, 1, 1)

        self.mtStepLabel = QLabel(self.runPage)
        self.mtStepLabel.setObjectName(u"mtStepLabel")

        self.stepGrid.addWidget(self.mtStepLabel, 1, 1, 1, 1)

        self.mtStepDetail = QLabel(self.runPage)
        self.mtStepDetail.setObjectName(u"mtStepDetail")

        self.stepGrid.addWidget(self.mtStepDetail, 1, 2, 1, 1)

        self.exportStepIcon = QLabel(self.runPage)
        self.exportStepIcon.setObjectName(u"exportStepIcon")

        self.stepGrid.addWidget(self.exportStepIcon, 2, 0, 1, 1)

        self.exportStepLabel = QLabel(self.runPage)
        self.exportStepLabel.setObjectName(u"exportStepLabel")

        self.stepGrid.addWidget(self.exportStepLabel, 2, 1, 1, 1)

        self.exportStepDetail = QLabel(self.runPage)
        self.exportStepDetail.setObjectName(u"exportStepDetail")

        self.stepGrid.addWidget(self.exportStepDetail, 2, 2, 1, 1)

        self.stepGrid.setColumnStretch(2, 1)

        self.runPageLayout.addLayout(self.stepGrid)

        self.mountBox = QFrame(self.runPage)
        self.mountBox.setObjectName(u"mountBox")
        self.mountBoxLayout = QVBoxLayout(self.mountBox)
        self.mountBoxLayout.setObjectName(u"mountBoxLayout")
        self.resultTitle = QLabel(self.mountBox)
        self.resultTitle.setObjectName(u"resultTitle")

        self.mountBoxLayout.addWidget(self.resultTitle)

        self.mountRow = QHBoxLayout()
        self.mountRow.setObjectName(u"mountRow")
        self.mountCommand = QLabel(self.mountBox)
        self.mountCommand.setObjectName(u"mountCommand")

        self.mountRow.addWidget(self.mountCommand)

        self.copyButton = QPushButton(self.mountBox)
        self.copyButton.setObjectName(u"copyButton")
        self.copyButton.setAutoDefault(False)

        self.mountRow.addWidget(self.copyButton, 0, Qt.AlignTop)

        self.mountRow.setStretch(0, 1)

        self.mountBoxLayout.addLayout(self.mountRow)


        self.runPageLayout.addWidget(self.mountBox)

        self.failBar = QHBoxLayout()
        self.failBar.setObjectName(u"failBar")
        self.retryButton = QPushButton(self.runPage)
        self.retryButton.setObjectName(u"retryButton")
        self.retryButton.setAutoDefault(False)

        self.failBar.addWidget(self.retryButton)

        self.deleteButton = QPushButton(self.runPage)
        self.deleteButton.setObjectName(u"deleteButton")
        self.deleteButton.setAutoDefault(False)

        self.failBar.addWidget(self.deleteButton)

        self.failSpacer = QSpacerItem(10, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.failBar.addItem(self.failSpacer)


        self.runPageLayout.addLayout(self.failBar)

        self.runSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.runPageLayout.addItem(self.runSpacer)

        NfsWizard.addPage(self.runPage)

        self.retranslateUi(NfsWizard)

        self.codeTabs.setCurrentIndex(0)


        QMetaObject.connectSlotsByName(NfsWizard)
    # setupUi

    def retranslateUi(self, NfsWizard):
        NfsWizard.setWindowTitle(QCoreApplication.translate("NfsWizard", u"Create an NFS share", None))
        self.fsPage.setTitle(QCoreApplication.translate("NfsWizard", u"The file system", None))
        self.fsNameLabel.setText(QCoreApplication.translate("NfsWizard", u"Name:", None))
        self.fsNameError.setText("")
        self.compartmentLabel.setText(QCoreApplication.translate("NfsWizard", u"Compartment:", None))
        self.adLabel.setText(QCoreApplication.translate("NfsWizard", u"Availability domain:", None))
        self.adHelp.setText(QCoreApplication.translate("NfsWizard", u"The mount target and the clients' subnet must be reachable from this availability domain", None))
        self.mtPage.setTitle(QCoreApplication.translate("NfsWizard", u"Where clients reach it", None))
        self.mtNew.setText(QCoreApplication.translate("NfsWizard", u"Create a new mount target", None))
        self.mtNameLabel.setText(QCoreApplication.translate("NfsWizard", u"Name:", None))
        self.vcnLabel.setText(QCoreApplication.translate("NfsWizard", u"VCN:", None))
        self.subnetLabel.setText(QCoreApplication.translate("NfsWizard", u"Subnet:", None))
        self.mtHelp.setText(QCoreApplication.translate("NfsWizard", u"The mount target takes a private IP address in this subnet; clients mount from it. Its security list must allow NFS (TCP 111, 2048-2050 and UDP 111, 2048).", None))
        self.mtExisting.setText(QCoreApplication.translate("NfsWizard", u"Use an existing mount target", None))
        self.existingLabel.setText(QCoreApplication.translate("NfsWizard", u"Mount target:", None))
        self.mtError.setText("")
        self.exportPage.setTitle(QCoreApplication.translate("NfsWizard", u"The export path", None))
        self.exportPathLabel.setText(QCoreApplication.translate("NfsWizard", u"Export path:", None))
        self.pathError.setText("")
        self.pathHelp.setText(QCoreApplication.translate("NfsWizard", u"Clients mount <mount target IP>:<path>. Unique among the mount target's exports.", None))
        self.mountPreviewLabel.setText(QCoreApplication.translate("NfsWizard", u"Clients will run:", None))
        self.mountPreview.setText("")
        self.exportHelp.setText(QCoreApplication.translate("NfsWizard", u"Every client in the VCN may mount it read-write (OCI's default export options); change them later on the export if needed.", None))
        self.reviewPage.setTitle(QCoreApplication.translate("NfsWizard", u"Review", None))
        self.codeTabs.setTabText(self.codeTabs.indexOf(self.cliTab), QCoreApplication.translate("NfsWizard", u"oci CLI", None))
        self.codeTabs.setTabText(self.codeTabs.indexOf(self.pythonTab), QCoreApplication.translate("NfsWizard", u"Python SDK", None))
        self.runPage.setTitle(QCoreApplication.translate("NfsWizard", u"Creating your NFS share", None))
        self.fsStepIcon.setText("")
        self.fsStepLabel.setText(QCoreApplication.translate("NfsWizard", u"File system", None))
        self.fsStepDetail.setText(QCoreApplication.translate("NfsWizard", u"Waiting", None))
        self.mtStepIcon.setText("")
        self.mtStepLabel.setText(QCoreApplication.translate("NfsWizard", u"Mount target", None))
        self.mtStepDetail.setText(QCoreApplication.translate("NfsWizard", u"Waiting", None))
        self.exportStepIcon.setText("")
        self.exportStepLabel.setText(QCoreApplication.translate("NfsWizard", u"Export", None))
        self.exportStepDetail.setText(QCoreApplication.translate("NfsWizard", u"Waiting", None))
        self.resultTitle.setText(QCoreApplication.translate("NfsWizard", u"<b>Your NFS share is ready.</b> On a client in the VCN, run:", None))
        self.mountCommand.setText("")
        self.copyButton.setText(QCoreApplication.translate("NfsWizard", u"Copy", None))
        self.retryButton.setText(QCoreApplication.translate("NfsWizard", u"Retry the failed step", None))
#if QT_CONFIG(tooltip)
        self.retryButton.setToolTip(QCoreApplication.translate("NfsWizard", u"Send the same request again (same retry token)", None))
#endif // QT_CONFIG(tooltip)
        self.deleteButton.setText(QCoreApplication.translate("NfsWizard", u"Delete what was created", None))
#if QT_CONFIG(tooltip)
        self.deleteButton.setToolTip(QCoreApplication.translate("NfsWizard", u"Delete the resources this wizard created, then change the input or close", None))
#endif // QT_CONFIG(tooltip)
    # retranslateUi

