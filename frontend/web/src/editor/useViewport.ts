// The part of the arrangement in view, for drawing only the clips in and near it.
import { useEffect, useState, type RefObject } from "react";

/**
 * The scrolled window onto the arrangement, updated at most once a frame and only when it moved a good part
 * of the drawing margin, so scrolling re-renders the arrangement now and then rather than on every frame.
 */
export function useViewport(scroller: RefObject<HTMLDivElement | null>) {
  const [view, setView] = useState({ left: 0, top: 0, width: 1600, height: 1000 });
  useEffect(() => {
    const element = scroller.current!;
    let frame = 0;
    const update = () => {
      frame = 0;
      setView((v) =>
        Math.abs(v.left - element.scrollLeft) < v.width / 4 && Math.abs(v.top - element.scrollTop) < v.height / 4 &&
        v.width === element.clientWidth && v.height === element.clientHeight
          ? v
          : { left: element.scrollLeft, top: element.scrollTop, width: element.clientWidth, height: element.clientHeight },
      );
    };
    const schedule = () => void (frame ||= requestAnimationFrame(update));
    update();
    element.addEventListener("scroll", schedule, { passive: true });
    const resize = new ResizeObserver(schedule);
    resize.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      element.removeEventListener("scroll", schedule);
      resize.disconnect();
    };
  }, [scroller]);
  return view;
}
