<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Badges</name>
    <message>
        <location filename="../../station/ui/models.py" line="48"/>
        <source>Blurred</source>
        <translation>Mờ</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="49"/>
        <source>Dark</source>
        <translation>Tối</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="50"/>
        <source>Faint</source>
        <translation>Nhạt</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="51"/>
        <source>Low contrast</source>
        <translation>Tương phản thấp</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="52"/>
        <source>Skewed</source>
        <translation>Nghiêng</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="53"/>
        <source>Cut off</source>
        <translation>Mất mép</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="54"/>
        <source>Low dpi</source>
        <translation>DPI thấp</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="55"/>
        <source>Blank</source>
        <translation>Trang trắng</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <location filename="../../station/ui/review/charts.py" line="55"/>
        <source>No data yet</source>
        <translation>Chưa có dữ liệu</translation>
    </message>
</context>
<context>
    <name>CounterSession</name>
    <message>
        <location filename="../../station/ui/controller.py" line="125"/>
        <source>Separator sheet: a new document starts here</source>
        <translation>Tờ phân tách: bắt đầu tài liệu mới từ đây</translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="249"/>
        <source>Documents</source>
        <translation>Tài liệu</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="278"/>
        <source>Missing required documents: {0}</source>
        <translation>Còn thiếu giấy tờ bắt buộc: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="282"/>
        <source>All required documents are present.</source>
        <translation>Đã đủ các giấy tờ bắt buộc.</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="316"/>
        <source>&lt;b style=&apos;color:{0}&apos;&gt;Document {1}&lt;/b&gt; ({2} p.)</source>
        <translation>&lt;b style=&apos;color:{0}&apos;&gt;Tài liệu {1}&lt;/b&gt; ({2} tr.)</translation>
    </message>
</context>
<context>
    <name>DossierPanel</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="335"/>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="352"/>
        <source>Dossier code (F2):</source>
        <translation>Mã hồ sơ (F2):</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="354"/>
        <source>Procedure:</source>
        <translation>Thủ tục:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="355"/>
        <source>Applicant:</source>
        <translation>Người nộp:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="356"/>
        <source>ID number:</source>
        <translation>Số định danh:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="357"/>
        <source>Date of birth:</source>
        <translation>Ngày sinh:</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="358"/>
        <source>Address:</source>
        <translation>Nơi thường trú:</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../station/ui/window_layout.py" line="60"/>
        <source>Digitization Station — counter</source>
        <translation>Trạm số hóa — quầy tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="66"/>
        <source>Virtual scanner (sample pages)</source>
        <translation>Máy quét ảo (trang mẫu)</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="70"/>
        <source>Scanner defaults</source>
        <translation>Mặc định của máy quét</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="137"/>
        <source>Scan</source>
        <translation>Quét</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="138"/>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="139"/>
        <source>Rescan page</source>
        <translation>Quét lại trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="140"/>
        <source>Insert pages</source>
        <translation>Chèn trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="141"/>
        <source>Rotate left</source>
        <translation>Xoay trái</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="142"/>
        <source>Rotate right</source>
        <translation>Xoay phải</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="144"/>
        <source>Delete page</source>
        <translation>Xóa trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="145"/>
        <source>Split here</source>
        <translation>Tách tại đây</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="146"/>
        <source>Merge with next</source>
        <translation>Gộp với tài liệu sau</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="147"/>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="148"/>
        <source>Redo</source>
        <translation>Làm lại</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="149"/>
        <source>Zoom in</source>
        <translation>Phóng to</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="150"/>
        <source>Zoom out</source>
        <translation>Thu nhỏ</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="151"/>
        <source>Fit page</source>
        <translation>Vừa trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="152"/>
        <source>Dossier code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="153"/>
        <source>Finish and send</source>
        <translation>Hoàn tất và gửi</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="155"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="156"/>
        <source>Quality review</source>
        <translation>Duyệt chất lượng</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="157"/>
        <source>Main</source>
        <translation>Chính</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="161"/>
        <source>Scanner:</source>
        <translation>Máy quét:</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="163"/>
        <source>Profile:</source>
        <translation>Cấu hình quét:</translation>
    </message>
    <message>
        <location filename="../../station/ui/window_layout.py" line="169"/>
        <source>Pages</source>
        <translation>Trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/uploads_view.py" line="59"/>
        <source>Another station program is sending this outbox</source>
        <translation>Một chương trình khác của trạm đang gửi hàng đợi này</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="235"/>
        <source>Scanner list unavailable: {0}</source>
        <translation>Không lấy được danh sách máy quét: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="48"/>
        <source>Scanning…</source>
        <translation>Đang quét…</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="75"/>
        <source>Stopping after this page…</source>
        <translation>Sẽ dừng sau trang này…</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="94"/>
        <source>Scanning… {0} pages</source>
        <translation>Đang quét… {0} trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="109"/>
        <source>Scanner problem: {0}</source>
        <translation>Máy quét gặp sự cố: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="110"/>
        <source>{0} page(s) of this job were scanned and are kept.</source>
        <translation>Đã quét được {0} trang trong lượt này và vẫn được giữ.</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="112"/>
        <source>Scanning stopped by a scanner problem</source>
        <translation>Việc quét dừng do máy quét gặp sự cố</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="114"/>
        <source>Scanned {0} page(s)</source>
        <translation>Đã quét {0} trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="43"/>
        <source>Not a valid dossier code (example: 000.00.01.H22-250702-0013)</source>
        <translation>Mã hồ sơ không hợp lệ (ví dụ: 000.00.01.H22-250702-0013)</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="53"/>
        <source>Dossier code read from the receipt: {0}</source>
        <translation>Đã đọc mã hồ sơ từ giấy tiếp nhận: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="60"/>
        <source>Looking up the dossier…</source>
        <translation>Đang tra cứu hồ sơ…</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="71"/>
        <source>Dossier found, open for documents</source>
        <translation>Đã tìm thấy hồ sơ, đang nhận tài liệu</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="74"/>
        <source>Dossier found, but its status is &quot;{0}&quot;: check before sending</source>
        <translation>Đã tìm thấy hồ sơ nhưng trạng thái là &quot;{0}&quot;: kiểm tra trước khi gửi</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="84"/>
        <source>This code is not on the backend yet; check it. Document types can be typed freely.</source>
        <translation>Hệ thống chưa có hồ sơ mang mã này; hãy kiểm tra lại mã. Có thể gõ tự do loại tài liệu.</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="88"/>
        <source>Backend unreachable: working offline, document types can be typed freely.</source>
        <translation>Không kết nối được hệ thống: đang làm việc ngoại tuyến, có thể gõ tự do loại tài liệu.</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="108"/>
        <source>Check failed on the card: {0}</source>
        <translation>Kiểm tra trên thẻ không khớp: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="110"/>
        <source>The two sides of the card carry different ID numbers</source>
        <translation>Hai mặt thẻ có số định danh khác nhau</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="112"/>
        <source>The ID number differs from the dossier&apos;s applicant</source>
        <translation>Số định danh khác với người nộp hồ sơ</translation>
    </message>
    <message>
        <location filename="../../station/ui/dossier_view.py" line="114"/>
        <source>The name differs from the dossier&apos;s applicant</source>
        <translation>Họ tên khác với người nộp hồ sơ</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="317"/>
        <source>Wait until scanning ends, then finish.</source>
        <translation>Chờ quét xong rồi hãy hoàn tất.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="321"/>
        <source>The dossier code is missing: scan the receipt or type the code (F2).</source>
        <translation>Chưa có mã hồ sơ: quét giấy tiếp nhận hoặc gõ mã (F2).</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="325"/>
        <source>No page to send yet: scan the documents first (F5).</source>
        <translation>Chưa có trang nào để gửi: hãy quét tài liệu trước (F5).</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="330"/>
        <source>Finishing as soon as the last pages are checked…</source>
        <translation>Sẽ hoàn tất ngay khi kiểm tra xong các trang cuối…</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="334"/>
        <source>Missing documents</source>
        <translation>Thiếu giấy tờ</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="335"/>
        <source>These required documents are missing:
{0}

Send the dossier anyway?</source>
        <translation>Hồ sơ còn thiếu các giấy tờ bắt buộc sau:
{0}

Vẫn gửi hồ sơ?</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="345"/>
        <source>Could not save the dossier for sending: {0}
Nothing was sent and no page is lost: fix the problem, then press Finish again.</source>
        <translation>Không lưu được hồ sơ để gửi: {0}
Chưa gửi gì và không mất trang nào: khắc phục sự cố rồi bấm Hoàn tất lại.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="355"/>
        <source>Dossier {0}: building the PDF/A files and queueing them. Ready for the next citizen.</source>
        <translation>Hồ sơ {0}: đang tạo tệp PDF/A và đưa vào hàng đợi gửi. Sẵn sàng tiếp nhận công dân tiếp theo.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="366"/>
        <source>Dossier {0}: {1} document(s) queued for sending.</source>
        <translation>Hồ sơ {0}: đã đưa {1} tài liệu vào hàng đợi gửi.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="376"/>
        <source>Could not build the files of a dossier: {0}
Its pages are kept and it will be retried at the next start.</source>
        <translation>Không tạo được tệp của một hồ sơ: {0}
Các trang vẫn được giữ và sẽ được làm lại khi khởi động lần sau.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="392"/>
        <source>Unfinished dossier</source>
        <translation>Hồ sơ chưa hoàn tất</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="393"/>
        <source>A dossier with {0} scanned page(s) was not finished last time. Restore it?</source>
        <translation>Lần trước có một hồ sơ với {0} trang đã quét chưa hoàn tất. Khôi phục hồ sơ này?</translation>
    </message>
    <message>
        <location filename="../../station/ui/scan_control.py" line="67"/>
        <source>Restored {0} page(s)</source>
        <translation>Đã khôi phục {0} trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/uploads_view.py" line="38"/>
        <source>Queued {0} · sending {1} · sent {2} · failed {3}</source>
        <translation>Chờ gửi {0} · đang gửi {1} · đã gửi {2} · lỗi {3}</translation>
    </message>
    <message>
        <location filename="../../station/ui/uploads_view.py" line="50"/>
        <source>Backend offline: {0} waiting</source>
        <translation>Mất kết nối hệ thống: {0} tệp đang chờ</translation>
    </message>
    <message>
        <location filename="../../station/ui/uploads_view.py" line="52"/>
        <source>Sending: {0} waiting</source>
        <translation>Đang gửi: {0} tệp đang chờ</translation>
    </message>
    <message>
        <location filename="../../station/ui/uploads_view.py" line="54"/>
        <source>Uploads up to date</source>
        <translation>Đã gửi hết</translation>
    </message>
    <message>
        <location filename="../../station/ui/journal_view.py" line="32"/>
        <source>Rescan requests: {0}</source>
        <translation>Yêu cầu quét lại: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="432"/>
        <source>The station journal is not available on this PC.</source>
        <translation>Nhật ký của trạm không dùng được trên máy này.</translation>
    </message>
    <message>
        <location filename="../../station/ui/main_window.py" line="441"/>
        <source>Settings saved to {0}; some take effect after a restart.</source>
        <translation>Đã lưu cài đặt vào {0}; một số thay đổi có hiệu lực sau khi khởi động lại.</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="225"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <location filename="../../station/ui/models.py" line="264"/>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="265"/>
        <source>Document</source>
        <translation>Tài liệu</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="266"/>
        <source>Pages</source>
        <translation>Trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="267"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="268"/>
        <source>Problem</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="300"/>
        <source>Queued</source>
        <translation>Chờ gửi</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="301"/>
        <source>Sending</source>
        <translation>Đang gửi</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="302"/>
        <source>Sent</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="303"/>
        <source>Failed, will retry</source>
        <translation>Lỗi, sẽ thử lại</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="304"/>
        <source>Failed</source>
        <translation>Lỗi</translation>
    </message>
</context>
<context>
    <name>PageDelegate</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="89"/>
        <source>checking…</source>
        <translation>đang kiểm tra…</translation>
    </message>
</context>
<context>
    <name>PageListModel</name>
    <message>
        <location filename="../../station/ui/models.py" line="113"/>
        <source>Doc {0} · p. {1}</source>
        <translation>TL {0} · tr. {1}</translation>
    </message>
    <message>
        <location filename="../../station/ui/models.py" line="118"/>
        <source>No quality problem found</source>
        <translation>Không phát hiện lỗi chất lượng</translation>
    </message>
</context>
<context>
    <name>PageView</name>
    <message>
        <location filename="../../station/ui/review/window.py" line="83"/>
        <source>Choose a page in the queue</source>
        <translation>Chọn một trang trong hàng đợi</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="85"/>
        <source>The page holds a citizen ID card: its preview is blurred to protect personal data</source>
        <translation>Trang có thẻ CCCD/Căn cước: ảnh xem trước được làm nhòe để bảo vệ dữ liệu cá nhân</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="87"/>
        <source>No preview of this page</source>
        <translation>Không có ảnh xem trước của trang này</translation>
    </message>
</context>
<context>
    <name>RescanRequestsDialog</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="437"/>
        <source>Rescan requests from the supervisor</source>
        <translation>Yêu cầu quét lại từ giám sát viên</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="441"/>
        <source>Dossier {0} · document {1} · page {2}
Reason: {3}{4}</source>
        <translation>Hồ sơ {0} · tài liệu {1} · trang {2}
Lý do: {3}{4}</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="449"/>
        <source>Rescanned — mark done</source>
        <translation>Đã quét lại — đánh dấu xong</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="455"/>
        <source>Scan these pages again, then mark each one done:</source>
        <translation>Quét lại các trang này, rồi đánh dấu từng yêu cầu là đã xong:</translation>
    </message>
</context>
<context>
    <name>ReviewLabels</name>
    <message>
        <location filename="../../station/ui/review/labels.py" line="15"/>
        <source>blurred</source>
        <translation>mờ</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="16"/>
        <source>low resolution</source>
        <translation>độ phân giải thấp</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="17"/>
        <source>too dark</source>
        <translation>quá tối</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="18"/>
        <source>too light</source>
        <translation>quá sáng</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="19"/>
        <source>low contrast</source>
        <translation>tương phản thấp</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="20"/>
        <source>skewed</source>
        <translation>nghiêng</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="21"/>
        <source>content cut off at the edge</source>
        <translation>mất nội dung ở mép</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="22"/>
        <source>page orientation unclear</source>
        <translation>không rõ chiều trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="23"/>
        <source>blank page</source>
        <translation>trang trắng</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="26"/>
        <source>awaiting review</source>
        <translation>chờ duyệt</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="27"/>
        <source>approved</source>
        <translation>đạt</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="28"/>
        <source>rejected</source>
        <translation>từ chối</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="31"/>
        <source>flagged</source>
        <translation>gắn cờ</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/labels.py" line="32"/>
        <source>random sample</source>
        <translation>mẫu ngẫu nhiên</translation>
    </message>
</context>
<context>
    <name>ReviewModels</name>
    <message>
        <location filename="../../station/ui/review/models.py" line="44"/>
        <location filename="../../station/ui/review/models.py" line="136"/>
        <source>Queued as</source>
        <translation>Vào hàng vì</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="44"/>
        <source>Score</source>
        <translation>Điểm</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="45"/>
        <location filename="../../station/ui/review/models.py" line="123"/>
        <source>Flags</source>
        <translation>Cờ</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="45"/>
        <location filename="../../station/ui/review/models.py" line="138"/>
        <location filename="../../station/ui/review/models.py" line="202"/>
        <source>Station</source>
        <translation>Trạm</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="46"/>
        <location filename="../../station/ui/review/models.py" line="139"/>
        <location filename="../../station/ui/review/models.py" line="202"/>
        <source>Operator</source>
        <translation>Nhân viên</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="46"/>
        <location filename="../../station/ui/review/models.py" line="140"/>
        <source>Scanned at</source>
        <translation>Lúc quét</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="47"/>
        <location filename="../../station/ui/review/models.py" line="141"/>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="47"/>
        <location filename="../../station/ui/review/models.py" line="143"/>
        <source>Document</source>
        <translation>Giấy tờ</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="111"/>
        <source>{code} · {source} · page {n}</source>
        <translation>{code} · {source} · trang {n}</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="117"/>
        <source>Sharpness</source>
        <translation>Độ nét</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="118"/>
        <source>Contrast</source>
        <translation>Độ tương phản</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="119"/>
        <source>Brightness</source>
        <translation>Độ sáng</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="120"/>
        <source>Skew (°)</source>
        <translation>Độ nghiêng (°)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="121"/>
        <source>Resolution (dpi)</source>
        <translation>Độ phân giải (dpi)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="128"/>
        <location filename="../../station/ui/review/models.py" line="135"/>
        <source>none</source>
        <translation>không</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="130"/>
        <source>read: {numbers}</source>
        <translation>đã đọc: {numbers}</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="132"/>
        <source>card present (number not read)</source>
        <translation>có thẻ (không đọc được số)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="134"/>
        <source>Quality score</source>
        <translation>Điểm chất lượng</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="137"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="142"/>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="144"/>
        <source>Page</source>
        <translation>Trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="145"/>
        <source>Scan profile</source>
        <translation>Cấu hình quét</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="146"/>
        <source>Size</source>
        <translation>Kích thước</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="147"/>
        <source>Resolution</source>
        <translation>Độ phân giải</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="148"/>
        <source>Rotated</source>
        <translation>Đã xoay</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="149"/>
        <source>Skew</source>
        <translation>Độ nghiêng</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="150"/>
        <source>Barcodes</source>
        <translation>Mã vạch</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="151"/>
        <source>Characters recognised (OCR)</source>
        <translation>Ký tự nhận dạng (OCR)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="152"/>
        <source>OCR confidence</source>
        <translation>Độ tin cậy OCR</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="154"/>
        <source>Citizen ID card</source>
        <translation>CCCD / Căn cước</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="159"/>
        <source>Rejection reason</source>
        <translation>Lý do từ chối</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="183"/>
        <source>Measure</source>
        <translation>Chỉ số</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="183"/>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="203"/>
        <source>Pages</source>
        <translation>Trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="203"/>
        <source>Pages/hour</source>
        <translation>Trang/giờ</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="204"/>
        <source>Dossiers</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="204"/>
        <source>Dossiers/day</source>
        <translation>Hồ sơ/ngày</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="205"/>
        <source>Reviewed</source>
        <translation>Đã duyệt</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="205"/>
        <source>Rejected</source>
        <translation>Từ chối</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="206"/>
        <source>Rejection rate</source>
        <translation>Tỷ lệ từ chối</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="206"/>
        <source>Mean score</source>
        <translation>Điểm TB</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="207"/>
        <source>Scan→confirmation (min)</source>
        <translation>Quét→xác nhận (phút)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="235"/>
        <source>(whole station)</source>
        <translation>(cả trạm)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="235"/>
        <source>(every station)</source>
        <translation>(mọi trạm)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/models.py" line="238"/>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
</context>
<context>
    <name>ReviewWidget</name>
    <message>
        <location filename="../../station/ui/review/window.py" line="164"/>
        <source>Error: {e}</source>
        <translation>Lỗi: {e}</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="190"/>
        <source>Review pages</source>
        <translation>Duyệt trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="191"/>
        <source>Statistics</source>
        <translation>Thống kê</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="201"/>
        <source>Server (whole center): {url}</source>
        <translation>Máy chủ (cả trung tâm): {url}</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="203"/>
        <source>Journal on this PC: {path}</source>
        <translation>Nhật ký trên máy này: {path}</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="205"/>
        <source>(reporting to {url})</source>
        <translation>(báo cáo về {url})</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="210"/>
        <source>Filter</source>
        <translation>Lọc</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="216"/>
        <source>By date</source>
        <translation>Theo ngày</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="230"/>
        <source>Share of unflagged pages drawn at random for review (the same seed draws the same pages)</source>
        <translation>Tỷ lệ trang không bị gắn cờ được rút ngẫu nhiên để xem lại (cùng hạt giống thì cùng các trang)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="232"/>
        <source>Reload (F5)</source>
        <translation>Tải lại (F5)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="235"/>
        <source>Station</source>
        <translation>Trạm</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="235"/>
        <source>Operator</source>
        <translation>Nhân viên</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="236"/>
        <source>Flag</source>
        <translation>Cờ</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="236"/>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="244"/>
        <source>to</source>
        <translation>đến</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="246"/>
        <source>Random sample</source>
        <translation>Mẫu ngẫu nhiên</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="283"/>
        <source>Decision</source>
        <translation>Quyết định</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="291"/>
        <source>Rejection reason</source>
        <translation>Lý do từ chối</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="294"/>
        <source>Note for the counter (no personal data)</source>
        <translation>Ghi chú cho quầy (không ghi thông tin cá nhân)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="297"/>
        <source>Approve (A)</source>
        <translation>Đạt (A)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="300"/>
        <source>Reject, ask for a rescan (R)</source>
        <translation>Từ chối, yêu cầu quét lại (R)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="325"/>
        <source>Pages per hour by operator</source>
        <translation>Trang/giờ theo nhân viên</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="326"/>
        <source>Rejected pages by reason</source>
        <translation>Trang bị từ chối theo lý do</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="327"/>
        <source>Quality scores</source>
        <translation>Phân bố điểm chất lượng</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="328"/>
        <source>From scan to server confirmation (minutes)</source>
        <translation>Từ lúc quét đến khi máy chủ xác nhận (phút)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="341"/>
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="342"/>
        <source>Export PDF report…</source>
        <translation>Xuất báo cáo PDF…</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="382"/>
        <source>All stations</source>
        <translation>Tất cả trạm</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="383"/>
        <source>All operators</source>
        <translation>Tất cả nhân viên</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="384"/>
        <source>All procedures</source>
        <translation>Tất cả thủ tục</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="385"/>
        <source>All pages</source>
        <translation>Mọi trang</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="386"/>
        <source>Any flag</source>
        <translation>Có cờ bất kỳ</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="431"/>
        <source>Queue: {n} page(s) ({f} flagged, {s} random sample)</source>
        <translation>Hàng đợi: {n} trang ({f} gắn cờ, {s} mẫu ngẫu nhiên)</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="473"/>
        <source>Choose a rejection reason (keys 1–{n}), then press Reject.</source>
        <translation>Chọn lý do từ chối (phím 1–{n}) rồi bấm Từ chối.</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="496"/>
        <source>Page {p} of dossier {d} approved.</source>
        <translation>Đã duyệt đạt trang {p} của hồ sơ {d}.</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="498"/>
        <source>Page {p} of dossier {d} rejected: a rescan request went to {s}.</source>
        <translation>Đã từ chối trang {p} của hồ sơ {d}: yêu cầu quét lại đã gửi tới {s}.</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="501"/>
        <source>Saved on this PC; not yet sent to the server, it will be sent later.</source>
        <translation>Đã lưu trên máy này; chưa gửi được lên máy chủ, sẽ gửi lại sau.</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="528"/>
        <source>{pages} pages · {dossiers} dossiers · {ph} pages/hour · {flagged} flagged pages · {rev} reviewed, {rej} rejected ({rate}%) · mean score {q} · scan → confirmation: median {m} min</source>
        <translation>{pages} trang · {dossiers} hồ sơ · {ph} trang/giờ · {flagged} trang gắn cờ · đã duyệt {rev}, từ chối {rej} ({rate}%) · điểm TB {q} · quét → xác nhận: trung vị {m} phút</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="563"/>
        <source>The statistics are still loading; try again in a moment.</source>
        <translation>Thống kê đang được tải, thử lại sau giây lát.</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="570"/>
        <source>Export CSV</source>
        <translation>Xuất CSV</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="572"/>
        <location filename="../../station/ui/review/window.py" line="579"/>
        <source>Saved {p}</source>
        <translation>Đã ghi {p}</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="577"/>
        <source>Export PDF report</source>
        <translation>Xuất báo cáo PDF</translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <location filename="../../station/ui/review/window.py" line="586"/>
        <source>Digitization Station — scan quality review</source>
        <translation>Trạm số hóa — Duyệt chất lượng bản quét</translation>
    </message>
    <message>
        <location filename="../../station/ui/review/window.py" line="590"/>
        <source>Reviewer: {r}</source>
        <translation>Người duyệt: {r}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="51"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="61"/>
        <source>empty: the virtual scanner with the sample pages</source>
        <translation>để trống: máy quét ảo với các trang mẫu</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="68"/>
        <source>Scanner device:</source>
        <translation>Thiết bị quét:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="69"/>
        <source>Paper source:</source>
        <translation>Nguồn giấy:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="70"/>
        <source>Resolution (dpi):</source>
        <translation>Độ phân giải (dpi):</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="71"/>
        <source>Colour mode:</source>
        <translation>Chế độ màu:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="72"/>
        <source>Page size:</source>
        <translation>Khổ giấy:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="73"/>
        <source>Scanner</source>
        <translation>Máy quét</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="78"/>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="78"/>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="78"/>
        <source>dpi</source>
        <translation>dpi</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="79"/>
        <source>Mode</source>
        <translation>Chế độ</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="79"/>
        <source>Size</source>
        <translation>Khổ</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="84"/>
        <source>Add profile</source>
        <translation>Thêm cấu hình</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="85"/>
        <source>New profile</source>
        <translation>Cấu hình mới</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="86"/>
        <source>Remove profile</source>
        <translation>Xóa cấu hình</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="93"/>
        <source>Profiles</source>
        <translation>Cấu hình quét</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="98"/>
        <source>empty: the reference backend started on this computer</source>
        <translation>để trống: hệ thống mẫu chạy trên máy này</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="101"/>
        <source>unchanged (stored in the system keyring)</source>
        <translation>không đổi (lưu trong kho khóa của hệ điều hành)</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="107"/>
        <source>Backend URL:</source>
        <translation>Địa chỉ hệ thống:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="108"/>
        <source>API token:</source>
        <translation>Mã truy cập API:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="109"/>
        <source>Station id:</source>
        <translation>Mã trạm:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="110"/>
        <source>Operator id:</source>
        <translation>Mã cán bộ:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="111"/>
        <source>Keep sent files (days):</source>
        <translation>Giữ tệp đã gửi (ngày):</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="112"/>
        <source>Backend</source>
        <translation>Hệ thống</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="129"/>
        <source>Language:</source>
        <translation>Ngôn ngữ:</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="130"/>
        <source>Text size (pt):</source>
        <translation>Cỡ chữ (pt):</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="131"/>
        <source>Lowest acceptable dpi:</source>
        <translation>Độ phân giải tối thiểu (dpi):</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="132"/>
        <source>Largest acceptable skew (°):</source>
        <translation>Độ nghiêng tối đa (°):</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="133"/>
        <source>General</source>
        <translation>Chung</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="192"/>
        <source>Not saved: {0}</source>
        <translation>Chưa lưu: {0}</translation>
    </message>
    <message>
        <location filename="../../station/ui/settings_dialog.py" line="199"/>
        <source>The token could not be stored in the keyring: {0}</source>
        <translation>Không lưu được mã truy cập vào kho khóa: {0}</translation>
    </message>
</context>
<context>
    <name>UploadPanel</name>
    <message>
        <location filename="../../station/ui/widgets.py" line="398"/>
        <source>Uploads</source>
        <translation>Gửi hồ sơ</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="414"/>
        <source>Retry selected</source>
        <translation>Gửi lại mục đã chọn</translation>
    </message>
    <message>
        <location filename="../../station/ui/widgets.py" line="415"/>
        <source>Retry all failed</source>
        <translation>Gửi lại tất cả mục lỗi</translation>
    </message>
</context>
</TS>
